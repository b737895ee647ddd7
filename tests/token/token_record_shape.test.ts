/**
 * A stored token record is checked field by field before use: a corrupt row
 * is reported by what is wrong (never with the token in the message) so the
 * store can drop it and fetch a fresh token instead of sending garbage.
 */
import assert from "node:assert/strict";
import { parseTokenRecord, validateTokenRecord } from "../../lib/token/_record.ts";

const KEY = "tenant:cli_a";
const good = {
  key: KEY,
  kind: "tenant",
  appId: "cli_a",
  accessToken: "t-secret-value",
  expiresAt: 2,
  issuedAt: 1,
  updatedAt: 1,
};

Deno.test("token record: a well-formed record passes; each broken field is named, never the token", () => {
  assert.deepEqual(parseTokenRecord(JSON.stringify(good), KEY), good);
  const user = {
    ...good,
    key: "user:cli_a:u1",
    kind: "user",
    userId: "u1",
    accessToken: "",
    refreshToken: "r",
    refreshExpiresAt: 9,
    scope: "a b",
    status: "set_aside",
  };
  assert.deepEqual(
    validateTokenRecord(user, "user:cli_a:u1"),
    user,
    "a user record may have an empty access token",
  );
  const cases: [unknown, string][] = [
    [42, "data is not text"],
    ["{", "data is not valid JSON"],
    ["[1]", "data is not an object"],
    ["null", "data is not an object"],
    [{ ...good, key: "tenant:other" }, "key field does not match the row key"],
    [{ ...good, kind: "robot" }, "kind missing or unknown"],
    [{ ...good, appId: "" }, "appId missing"],
    [{ ...good, kind: "user" }, "userId missing"],
    [{ ...good, accessToken: 5 }, "accessToken missing"],
    [{ ...good, accessToken: "" }, "accessToken empty"],
    [{ ...good, expiresAt: "soon" }, "expiresAt missing or not a number"],
    [{ ...good, issuedAt: Infinity }, "issuedAt missing or not a number"],
    [{ ...good, updatedAt: undefined }, "updatedAt missing or not a number"],
    [{ ...good, refreshToken: 1 }, "refreshToken not text"],
    [{ ...good, refreshExpiresAt: "x" }, "refreshExpiresAt not a number"],
    [{ ...good, scope: ["a"] }, "scope not text"],
    [{ ...good, status: "deleted" }, "status unknown"],
  ];
  for (const [value, why] of cases) {
    const text = typeof value === "string" || typeof value === "number" ? value : JSON.stringify(value);
    const got = parseTokenRecord(text, KEY);
    assert.equal(got, why, JSON.stringify(value));
    assert.doesNotMatch(String(got), /t-secret-value/);
  }
});
