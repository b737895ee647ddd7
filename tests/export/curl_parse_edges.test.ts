/** cURL parsing edge cases: user agent, referer, --url, form bodies, odd escapes, unterminated quotes per shell. */
import assert from "node:assert/strict";
import { CurlParseError, parseCookies, parseCurl, splitBash, splitCmd } from "../../lib/clm/curl_parse.ts";

const URL_ = "https://contract.feishu.cn/clm/api/cooperation/info";

Deno.test("curl: -A/--user-agent, -e/--referer, --url, empty headers skipped, a form body stays text", () => {
  const c = parseCurl(
    `curl --url '${URL_}' -A 'Mozilla/5.0' --referer 'https://contract.feishu.cn/' -H 'X;' -H 'junk' ` +
      `-H 'accept: a' -H 'Accept: b' -d 'a=1' --data 'b=2'`,
  );
  assert.equal(c.url, URL_);
  assert.equal(c.headers["user-agent"], "Mozilla/5.0");
  assert.equal(c.headers["referer"], "https://contract.feishu.cn/");
  assert.equal(c.headers["accept"], "a, b", "repeated headers are joined");
  assert.equal(c.headers["x;"], undefined);
  assert.equal(c.method, "POST");
  assert.equal(c.bodyText, "a=1&b=2");
  assert.equal(c.body, undefined, "not JSON: kept as text only");
  const short = parseCurl(`curl '${URL_}' -Acurl/8 -ehttps://r.example/`);
  assert.deepEqual([short.headers["user-agent"], short.headers["referer"]], ["curl/8", "https://r.example/"]);
  assert.throws(() => parseCurl(`curl '${URL_}' --url`), CurlParseError);
});

Deno.test("curl: the csrf token comes from a header first, else from a csrf cookie; cookie junk is skipped", () => {
  assert.equal(parseCurl(`curl '${URL_}' -b 'lark_oapi_csrf_token=c1; x=2'`).csrfToken, "c1");
  assert.equal(
    parseCurl(`curl '${URL_}' -H 'x-csrf-token: h1' -b 'lark_oapi_csrf_token=c1'`).csrfToken,
    "h1",
  );
  assert.deepEqual(parseCookies(["a=1;=x; junk; b = 2", "a=3"]), { a: "3", b: "2" });
});

Deno.test("splitBash: odd escapes inside quotes and $'...' are kept literally; unterminated quotes are typed", () => {
  assert.deepEqual(
    splitBash('curl "a\\\nb"'),
    ["curl", "ab"],
    "an escaped newline inside double quotes joins",
  );
  assert.deepEqual(splitBash("curl $'\\xZZ\\q\\e'"), ["curl", "\\xZZ\\q\x1b"]);
  assert.deepEqual(splitBash("curl $'\\0101'"), ["curl", "\x081"]);
  for (const text of [`curl "open`, "curl $'open", "curl $'ends with escape\\"]) {
    assert.throws(
      () => splitBash(text),
      (e) => e instanceof CurlParseError && /引号没有闭合/.test(e.hint),
      text,
    );
  }
});

Deno.test("splitCmd: backslash runs before quotes halve; a lone ^ at the end is dropped; open quotes are typed", () => {
  assert.deepEqual(splitCmd('curl "a\\\\" b'), ["curl", "a\\", "b"]);
  assert.deepEqual(splitCmd("curl a\\\\b"), ["curl", "a\\\\b"], "backslashes not before a quote stay");
  assert.deepEqual(splitCmd('curl "say ""hi"""'), ["curl", 'say "hi"']);
  assert.deepEqual(splitCmd("curl a^"), ["curl", "a"]);
  assert.deepEqual(splitCmd("curl a ^\r\n b"), ["curl", "a", "b"]);
  assert.throws(
    () => splitCmd('curl "open'),
    (e) => e instanceof CurlParseError && /引号没有闭合/.test(e.hint),
  );
  // The cmd form is detected from ^" quoting.
  assert.equal(parseCurl(`curl ^"${URL_}^" -H ^"a: 1^"`).shell, "cmd");
});
