/** Unit tests of the PostgREST filter and order builders and of input validation. */
import assert from "node:assert/strict";
import { apaasWhere, orderParam } from "../../lib/apaas/mod.ts";
import { ParamError } from "../../lib/errors/mod.ts";

Deno.test("apaasWhere: single conditions use col=op.value, groups and=(…)/or=(…)", () => {
  assert.equal(String(apaasWhere.gt("age", 10)), "age=gt.10");
  assert.equal(String(apaasWhere.eq("city", "北京")), "city=eq.北京");
  assert.equal(String(apaasWhere.isNull("note")), "note=is.null");
  assert.equal(String(apaasWhere.eq("vip", true)), "vip=eq.true");
  assert.equal(String(apaasWhere.in("city", ["北京", "上海"])), "city=in.(北京,上海)");
  assert.equal(
    String(
      apaasWhere.and(
        apaasWhere.gte("age", 30),
        apaasWhere.or(apaasWhere.eq("city", "北京"), apaasWhere.like("name", "客户00*")),
      ),
    ),
    "and=(age.gte.30,or(city.eq.北京,name.like.客户00*))",
  );
  assert.equal(String(apaasWhere.eq("age", 10).not()), "age=not.eq.10");
  assert.equal(String(apaasWhere.and(apaasWhere.eq("a", 1))), "a=eq.1", "a group of one is the condition");
});

Deno.test("apaasWhere: reserved characters are quoted", () => {
  assert.equal(String(apaasWhere.eq("note", "a,b (c)")), 'note=eq."a,b (c)"');
  assert.equal(String(apaasWhere.eq("note", 'say "hi"')), 'note=eq."say \\"hi\\""');
});

Deno.test("apaasWhere/order: bad column names and values are refused, naming the field", () => {
  assert.throws(
    () => apaasWhere.eq("bad column", 1),
    (e) => e instanceof ParamError && e.field === "filter.column",
  );
  assert.throws(() => apaasWhere.gt("age", NaN), (e) => e instanceof ParamError && e.field === "age");
  assert.throws(() => apaasWhere.in("city", []), (e) => e instanceof ParamError && e.field === "city");
  assert.throws(() => apaasWhere.and(), (e) => e instanceof ParamError && e.field === "filter");
  assert.throws(() => apaasWhere.and(apaasWhere.eq("a", 1), apaasWhere.eq("b", 2)).not(), ParamError);
  assert.equal(
    orderParam([{ column: "age", desc: true }, { column: "name", nulls: "last" }]),
    "age.desc,name.asc.nullslast",
  );
  assert.throws(
    () => orderParam([{ column: "x;drop" }]),
    (e) => e instanceof ParamError && e.field === "order[0].column",
  );
});
