import assert from "node:assert/strict";
import { CurlParseError, parseCurl, splitBash, splitCmd } from "../../lib/clm/curl_parse.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";

const URL_ = "https://contract.feishu.cn/clm/api/cooperation/exportCooperationRecords";
const BODY =
  '{"keyword":"","searchTabEnumCode":0,"searchCooperationByCreateTime":[1640966400000,1641571199999]}';

/** Chrome DevTools "Copy as cURL (bash)" as written (devtools escapeStringPosix). */
const BASH = `curl '${URL_}' \\
  -H 'accept: application/json, text/plain, */*' \\
  -H 'accept-language: zh-CN,zh;q=0.9,en;q=0.8' \\
  -H 'content-type: application/json;charset=UTF-8' \\
  -b 'passport_web_did=7312; session=XN0YXJ0LTAxZjQ1ZjYtYWJjZA; lark_oapi_csrf_token=Zm9vYmFyYmF6=; sl_session=eyJhbGciOiJIUzI1NiJ9' \\
  -H 'origin: https://contract.feishu.cn' \\
  -H 'priority: u=1, i' \\
  -H 'referer: https://contract.feishu.cn/clm/cooperation/list' \\
  -H 'sec-ch-ua: "Chromium";v="131", "Not_A Brand";v="24"' \\
  -H 'timezone-offset: -480' \\
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' \\
  -H 'x-csrf-token: Zm9vYmFyYmF6=' \\
  --data-raw '${BODY}'`;

/** Chrome's bash escaping (devtools escapeStringPosix). */
function chromeBash(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/[\0-\x1F\x7F-\x9F!]|'/.test(s)) {
    return "$'" +
      s.replace(/\\/g, "\\\\")
        .replace(/'/g, "\\'")
        .replace(/\n/g, "\\n")
        .replace(/\r/g, "\\r")
        // deno-lint-ignore no-control-regex
        .replace(/[\0-\x1F\x7F-\x9F!]/g, (x) => "\\u" + x.charCodeAt(0).toString(16).padStart(4, "0")) +
      "'";
  }
  return `'${s}'`;
}

/** Chrome's cmd escaping (devtools escapeStringWin), to produce realistic cmd samples. */
function chromeCmd(s: string): string {
  return '^"' +
    s.replace(/\\/g, "\\\\")
      .replace(/"/g, '\\"')
      .replace(/[^a-zA-Z0-9\s_\-:=+~'\/.',?;()*`]/g, "^$&")
      .replace(/%(?=[a-zA-Z0-9_])/g, "%^")
      .replace(/\r?\n/g, "^\n\n") +
    '^"';
}

Deno.test("curl: Chrome bash form — URL, method, lower-case headers, cookies, csrf, JSON body", () => {
  const c = parseCurl(BASH);
  assert.equal(c.shell, "bash");
  assert.equal(c.url, URL_);
  assert.equal(c.origin, "https://contract.feishu.cn");
  assert.equal(c.path, "/clm/api/cooperation/exportCooperationRecords");
  assert.equal(c.method, "POST", "a body implies POST");
  assert.equal(c.headers["timezone-offset"], "-480");
  assert.equal(c.headers["sec-ch-ua"], '"Chromium";v="131", "Not_A Brand";v="24"');
  assert.equal(c.headers["cookie"], undefined, "the cookie is kept apart from headers");
  assert.equal(c.cookies.session, "XN0YXJ0LTAxZjQ1ZjYtYWJjZA");
  assert.equal(c.cookies.lark_oapi_csrf_token, "Zm9vYmFyYmF6=");
  assert.match(c.cookie, /^passport_web_did=7312; session=XN0/);
  assert.equal(c.csrfToken, "Zm9vYmFyYmF6=");
  assert.deepEqual(c.body, JSON.parse(BODY));
});

Deno.test("curl: bash $'...' ANSI-C quoting, -X, --data-binary, --compressed, Cookie header, CRLF", () => {
  const body = JSON.stringify({ keyword: "O'Brien! 合同\n\\", searchTabEnumCode: 1 });
  const quoted = chromeBash(body);
  assert.match(quoted, /^\$'.*\\u0021.*'$/, "sample really uses $'...' with \\u escapes");
  const text = [
    `curl -X PUT $'${URL_}' \\`,
    `  -H 'Cookie: session=abc123; csrf_token=t0k' \\`,
    `  --data-binary ${quoted} \\`,
    `  --compressed`,
  ].join("\r\n");
  const c = parseCurl(text);
  assert.equal(c.method, "PUT");
  assert.equal(c.cookies.session, "abc123");
  assert.equal(c.csrfToken, "t0k", "csrf from the csrf_token cookie");
  assert.equal(c.bodyText, body);
  assert.deepEqual(c.body, { keyword: "O'Brien! 合同\n\\", searchTabEnumCode: 1 });
});

Deno.test('curl: Windows cmd form from Chrome (^" quoting, ^ escapes, ^ line ends)', () => {
  const cookie = "session=XN0YXJ0%41; lark_oapi_csrf_token=Zm9v=";
  const keyword = '合同 "A&B" 100% <完成>|^';
  const body = JSON.stringify({ keyword, searchTabEnumCode: 0 });
  const text = [
    `curl ${chromeCmd(URL_)} ^`,
    `  -H ${chromeCmd("accept: application/json, text/plain, */*")} ^`,
    `  -b ${chromeCmd(cookie)} ^`,
    `  -H ${chromeCmd("timezone-offset: -480")} ^`,
    `  -H ${chromeCmd("x-csrftoken: Zm9v=")} ^`,
    `  --data-raw ${chromeCmd(body)}`,
  ].join("\r\n");
  assert.match(text, /\^\\\^"/, "sample really uses Chrome's escaping");
  const c = parseCurl(text);
  assert.equal(c.shell, "cmd");
  assert.equal(c.url, URL_);
  assert.equal(c.cookies.session, "XN0YXJ0%41");
  assert.equal(c.headers["timezone-offset"], "-480");
  assert.equal(c.csrfToken, "Zm9v=");
  assert.deepEqual(c.body, { keyword, searchTabEnumCode: 0 });
});

Deno.test("curl: a literal Chrome cmd copy", () => {
  const text = String.raw`curl ^"https://contract.feishu.cn/clm/api/cooperation/exportCooperationRecords^" ^
  -H ^"content-type: application/json;charset=UTF-8^" ^
  -b ^"session=abc; lark_oapi_csrf_token=tok^" ^
  --data-raw ^"^{^\^"keyword^\^":^\^"^\^",^\^"searchTabEnumCode^\^":0,^\^"searchCooperationByCreateTime^\^":^[1640966400000,1641571199999^]^}^"`;
  const c = parseCurl(text);
  assert.equal(c.shell, "cmd");
  assert.equal(c.cookie, "session=abc; lark_oapi_csrf_token=tok");
  assert.equal(c.csrfToken, "tok");
  assert.deepEqual(c.body, JSON.parse(BODY));
});

Deno.test('curl: cmd form with plain "..." quoting and \\" or ^\\" inside', () => {
  const a = parseCurl(`curl "${URL_}" ^\n  -H "k: v" ^\n  --data-raw "{^\\"a^\\":1}"`);
  assert.equal(a.shell, "cmd");
  assert.deepEqual(a.body, { a: 1 });
  assert.equal(a.headers.k, "v");
  const b = parseCurl(`curl "${URL_}" ^\r\n  -H "Cookie: session=x1" ^\r\n  --data "{\\"a\\":\\"x y\\"}"`);
  assert.deepEqual(b.body, { a: "x y" });
  assert.equal(b.cookie, "session=x1");
  assert.deepEqual(
    splitCmd(`curl "a ""quoted"" b" c`),
    ["curl", 'a "quoted" b', "c"],
    "doubled quotes inside quotes",
  );
  // C runtime rules: backslashes are literal unless they precede a quote; 2n+1 before a quote = n + a quote.
  assert.deepEqual(splitCmd(`curl "a\\b" "c\\\\\\"d"`), ["curl", "a\\b", 'c\\"d']);
});

Deno.test("curl: bash splitting details", () => {
  assert.deepEqual(splitBash(`curl 'a b'"c d"e\\ f`), ["curl", "a bc de f"]);
  assert.deepEqual(splitBash("curl $'a\\nb\\tc\\'d'"), ["curl", "a\nb\tc'd"]);
  assert.deepEqual(splitBash(`curl "x\\"y\\$z\\q"`), ["curl", 'x"y$z\\q']);
  assert.deepEqual(splitBash(`curl $'\\x41\\101\\u4e2d\\U0001F600'`), ["curl", "AA中😀"]);
  assert.deepEqual(splitBash("curl a \\\n b"), ["curl", "a", "b"]);
});

Deno.test("curl: short options with attached values and ignored flags", () => {
  const c = parseCurl(
    `curl -XPOST '${URL_}' -H'x-a: 1' -b'session=s' -d'{"k":2}' --insecure -o /dev/null --url-query x`,
  );
  assert.equal(c.method, "POST");
  assert.equal(c.headers["x-a"], "1");
  assert.equal(c.cookie, "session=s");
  assert.deepEqual(c.body, { k: 2 });
  const get = parseCurl(`curl '${URL_}?a=1' -H 'accept: */*'`);
  assert.equal(get.method, "GET");
  assert.equal(get.body, undefined);
});

Deno.test("curl: errors are typed with Chinese hints", () => {
  const cases: [string, RegExp][] = [
    ["", /curl/],
    [`Invoke-WebRequest -UseBasicParsing -Uri "${URL_}"`, /PowerShell/],
    [`curl '${URL_}`, /引号没有闭合/],
    ["curl -H 'a: b'", /没有找到请求地址/],
    [`curl '${URL_}' -H`, /缺少取值/],
    ["curl 'not a url'", /地址无法识别/],
  ];
  for (const [text, hint] of cases) {
    assert.throws(() => parseCurl(text), (e: unknown) => {
      assert.ok(e instanceof CurlParseError && e instanceof ConfigError, `typed for ${JSON.stringify(text)}`);
      assert.match(e.hint, hint);
      return true;
    });
  }
});
