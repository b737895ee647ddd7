/** Base record inputs are checked before any request, each refusal naming the field (ParamError). */
import assert from "node:assert/strict";
import { ParamError } from "../../lib/errors/mod.ts";
import {
  checkFields,
  checkSearch,
  MAX_CONDITION_VALUES,
  MAX_CONDITIONS,
  MAX_FIELD_NAMES,
} from "../../lib/bitable/_validate.ts";
import type { SearchOptions } from "../../lib/bitable/types.ts";

const refusedAs = (field: string) => (e: unknown) => e instanceof ParamError && e.field === field;

Deno.test("checkFields: a non-empty object of named, defined values", () => {
  assert.deepEqual(checkFields({ 名称: "x", 数量: 0 }), { 名称: "x", 数量: 0 });
  assert.throws(() => checkFields(["x"]), refusedAs("fields"));
  assert.throws(() => checkFields({}), refusedAs("fields"));
  assert.throws(() => checkFields({ " ": 1 }, "records[2].fields"), refusedAs("records[2].fields"));
  assert.throws(() => checkFields({ 名称: undefined }), refusedAs("fields.名称"));
});

Deno.test("checkSearch: page size, view id, field names, sort and every filter rule name the field", () => {
  const cases: [SearchOptions, string][] = [
    [{ pageSize: 0 }, "page_size"],
    [{ pageSize: 501 }, "page_size"],
    [{ viewId: "tbl123" }, "view_id"],
    [{ fieldNames: Array(MAX_FIELD_NAMES + 1).fill("a") }, "field_names"],
    [{ fieldNames: ["a", " "] }, "field_names[1]"],
    [{ sort: [{ fieldName: "" }] }, "sort[0].field_name"],
    [{ filter: { conjunction: "xor" as "and", conditions: [] } }, "filter.conjunction"],
    [{ filter: { conditions: "x" as unknown as [] } }, "filter.conditions"],
    [{
      filter: {
        conditions: Array(MAX_CONDITIONS + 1).fill({ fieldName: "a", operator: "is", value: ["1"] }),
      },
    }, "filter.conditions"],
    [
      { filter: { conditions: [{ fieldName: " ", operator: "is", value: ["1"] }] } },
      "filter.conditions[0].field_name",
    ],
    [
      { filter: { conditions: [{ fieldName: "a", operator: "matches" as "is", value: ["1"] }] } },
      "filter.conditions[0].operator",
    ],
    [
      {
        filter: {
          conditions: [{ fieldName: "a", operator: "is", value: Array(MAX_CONDITION_VALUES + 1).fill("1") }],
        },
      },
      "filter.conditions[0].value",
    ],
    [{ filter: { conditions: [{ fieldName: "a", operator: "is" }] } }, "filter.conditions[0].value"],
  ];
  for (const [o, field] of cases) assert.throws(() => checkSearch(o), refusedAs(field), field);
  checkSearch({
    pageSize: 500,
    viewId: "vewAbc",
    fieldNames: ["a"],
    sort: [{ fieldName: "a", desc: true }],
    filter: { conjunction: "or", conditions: [{ fieldName: "a", operator: "isEmpty" }] },
  });
});
