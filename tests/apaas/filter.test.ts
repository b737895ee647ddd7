/** Unit tests of the PostgREST filter and order builders and of input validation. */
import assert from "node:assert/strict";
import { orderParam, where } from "../../lib/apaas/mod.ts";
import { ParameterError } from "../../lib/errors/mod.ts";

Deno.test("where: single conditions use col=op.value, groups and=(…)/or=(…)", () => {
  assert.equal(String(where.gt("age", 10)), "age=gt.10");
  assert.equal(String(where.eq("city", "北京")), "city=eq.北京");
  assert.equal(String(where.isNull("note")), "note=is.null");
  assert.equal(String(where.eq("vip", true)), "vip=eq.true");
  assert.equal(String(where.in("city", ["北京", "上海"])), "city=in.(北京,上海)");
  assert.equal(
    String(
      where.and(where.gte("age", 30), where.or(where.eq("city", "北京"), where.like("name", "客户00*"))),
    ),
    "and=(age.gte.30,or(city.eq.北京,name.like.客户00*))",
  );
  assert.equal(String(where.eq("age", 10).not()), "age=not.eq.10");
  assert.equal(String(where.and(where.eq("a", 1))), "a=eq.1", "a group of one is the condition");
});

Deno.test("where: reserved characters are quoted", () => {
  assert.equal(String(where.eq("note", "a,b (c)")), 'note=eq."a,b (c)"');
  assert.equal(String(where.eq("note", 'say "hi"')), 'note=eq."say \\"hi\\""');
});

Deno.test("where/order: bad column names and values are refused, naming the field", () => {
  assert.throws(
    () => where.eq("bad column", 1),
    (e) => e instanceof ParameterError && e.field === "filter.column",
  );
  assert.throws(() => where.gt("age", NaN), (e) => e instanceof ParameterError && e.field === "age");
  assert.throws(() => where.in("city", []), (e) => e instanceof ParameterError && e.field === "city");
  assert.throws(() => where.and(), (e) => e instanceof ParameterError && e.field === "filter");
  assert.throws(() => where.and(where.eq("a", 1), where.eq("b", 2)).not(), ParameterError);
  assert.equal(
    orderParam([{ column: "age", desc: true }, { column: "name", nulls: "last" }]),
    "age.desc,name.asc.nullslast",
  );
  assert.throws(
    () => orderParam([{ column: "x;drop" }]),
    (e) => e instanceof ParameterError && e.field === "order[0].column",
  );
});
