/**
 * The desktop UI page: one HTML document with inline CSS and script. It reads
 * `/api/state`, follows `/api/events` (Server-Sent Events) for live updates,
 * and posts actions with the session's UI token (`x-ui-token`).
 *
 * @module
 */
import { UI_TEXT } from "./ui_text.ts";

/** The page; `uiToken` authorises its requests. */
export function uiPage(uiToken: string): string {
  const texts = JSON.stringify(UI_TEXT).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>飞书多维表格附件下载器</title>
<style>
body{font:14px system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f7;color:#1f2329}
header{display:flex;align-items:center;gap:12px;padding:10px 16px;background:#fff;border-bottom:1px solid #dee0e3}
header h1{font-size:16px;margin:0;flex:1}
main{padding:12px 16px;display:grid;gap:12px}
section{background:#fff;border:1px solid #dee0e3;border-radius:6px;padding:10px 12px}
section h2{font-size:14px;margin:0 0 8px}
.row{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
.kv b{font-weight:600;margin-left:4px}
.bar{height:10px;background:#eff0f1;border-radius:5px;overflow:hidden;flex:1;min-width:200px}
.bar>div{height:100%;background:#3370ff;width:0}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eff0f1;word-break:break-all}
tr.failed td{color:#d83931}
button{padding:4px 10px;border:1px solid #c9cdd4;border-radius:4px;background:#fff;cursor:pointer}
button.primary{background:#3370ff;color:#fff;border-color:#3370ff}
button:disabled{opacity:.45;cursor:default}
input{padding:4px 6px;border:1px solid #c9cdd4;border-radius:4px}
.hidden{display:none}
.notice{color:#de7802}
pre{max-height:200px;overflow:auto;background:#1f2329;color:#eee;padding:8px;font-size:12px}
</style></head>
<body>
<header><h1 data-t="title"></h1>
<span id="svc"></span>
<button id="start" class="primary" data-t="start"></button><button id="stop" data-t="stop"></button>
<label><span data-t="language"></span> <select id="lang"><option value="zh">简体中文</option><option value="zh-TW">繁體中文</option><option value="en">English</option><option value="ja">日本語</option></select></label>
</header>
<main>
<section id="doneBox" class="hidden"><span id="doneText"></span> <button id="doneOpen" data-t="openFolder"></button> <button id="doneClose">×</button></section>
<section id="originsBox" class="hidden"><h2 data-t="origins"></h2><p class="notice" data-t="originsHint"></p><div id="origins"></div></section>
<section><h2 data-t="server"></h2>
<div class="row">
<span class="kv"><span data-t="connection"></span>:<b id="conn"></b></span>
<span class="kv"><span data-t="mode"></span>:<b id="mode">-</b></span>
<span class="kv"><span data-t="downloading"></span>:<b id="c-downloading">0</b></span>
<span class="kv"><span data-t="completed"></span>:<b id="c-done">0</b></span>
<span class="kv"><span data-t="failed"></span>:<b id="c-failed">0</b></span>
<span class="kv"><span data-t="pending"></span>:<b id="c-pending">0</b></span>
</div>
<div class="row" style="margin-top:8px"><span data-t="overall"></span><div class="bar"><div id="bar"></div></div><span id="pct">0% (0/0)</span></div>
<div id="notices" class="notice"></div>
</section>
<section><h2 data-t="settings"></h2>
<div class="row">
<label><span data-t="output"></span> <input id="output" size="40"></label>
<label><span data-t="token"></span> <input id="token" type="password" autocomplete="off" size="28"></label>
<span id="tokenState"></span><small data-t="tokenHint"></small>
<button id="save" data-t="save"></button>
</div>
<details><summary data-t="advanced"></summary><div class="row" style="margin-top:6px">
<label><span data-t="host"></span> <input id="host" size="14"></label>
<label><span data-t="port"></span> <input id="port" size="6"></label>
<label><span data-t="rows"></span> <input id="rows" size="5"></label>
<span><span data-t="pairing"></span>: <code id="pairing"></code></span>
</div></details>
<div id="saveMsg" class="notice"></div>
</section>
<section><h2><span data-t="files"></span> <label style="font-weight:normal"><input type="checkbox" id="onlyFailed"> <span data-t="onlyFailed"></span></label></h2>
<table><thead><tr><th data-t="name"></th><th data-t="status"></th><th data-t="error"></th><th data-t="progress"></th><th data-t="folder"></th></tr></thead><tbody id="files"></tbody></table>
</section>
<section><h2 data-t="history"></h2>
<table><thead><tr><th data-t="started"></th><th data-t="finished"></th><th data-t="job"></th><th data-t="mode"></th><th data-t="total"></th><th data-t="completed"></th><th data-t="failed"></th><th data-t="status"></th><th></th></tr></thead><tbody id="history"></tbody></table>
</section>
<section><h2><label><input type="checkbox" id="showLogs"> <span data-t="showLogs"></span></label></h2><pre id="logs" class="hidden"></pre></section>
</main>
<script>
const T=${texts};const TOKEN=${JSON.stringify(uiToken)};
let lang="zh",state=null;
const $=(id)=>document.getElementById(id);
const t=(k)=>(T[lang]||T.zh)[k]??k;
const esc=(s)=>String(s??"").replace(/[&<>"']/g,(c)=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
const post=(p,b)=>fetch(p,{method:"POST",headers:{"content-type":"application/json","x-ui-token":TOKEN},body:JSON.stringify(b??{})}).then((r)=>r.json());
const LOCALE={zh:"zh-CN","zh-TW":"zh-TW",en:"en",ja:"ja"};
function applyTexts(){document.documentElement.lang=LOCALE[lang]||"zh-CN";document.title=t("title");
for(const el of document.querySelectorAll("[data-t]"))el.textContent=t(el.dataset.t);}
function fmtTime(ms){return ms?new Date(ms).toLocaleString(LOCALE[lang]||"zh-CN",{hour12:false}):"-";}
function render(){if(!state)return;const s=state;
if(s.language&&s.language!==lang&&!window.langTouched){lang=s.language;$("lang").value=lang;applyTexts();}
$("svc").textContent=s.running?t("running")+" "+(s.url||""):t("stopped");
$("start").disabled=s.running;$("stop").disabled=!s.running;
$("conn").textContent=s.connections>0?t("connected"):t("disconnected");
const j=s.job;$("mode").textContent=j?(j.mode==="token"?t("modeToken"):t("modeUrl")):"-";
const c=j?j.counts:{total:0,downloading:0,done:0,failed:0,pending:0};
$("c-downloading").textContent=c.downloading;$("c-done").textContent=c.done;$("c-failed").textContent=c.failed;$("c-pending").textContent=c.pending;
const fin=c.done+c.failed,pct=c.total?Math.floor(fin*100/c.total):0;$("bar").style.width=pct+"%";$("pct").textContent=pct+"% ("+fin+"/"+c.total+")";
const notes=[...(s.notices||[]).slice(-3).map((n)=>n.message)];if(j&&j.error)notes.unshift(j.error);$("notices").innerHTML=notes.map(esc).join("<br>");
if(document.activeElement!==$("output"))$("output").value=s.settings.output;
$("tokenState").textContent=s.settings.tokenSet?"("+t("tokenSet")+": "+s.settings.tokenMasked+")":"";
if(document.activeElement!==$("host"))$("host").value=s.settings.host;if(document.activeElement!==$("port"))$("port").value=s.settings.port;
if(document.activeElement!==$("rows"))$("rows").value=s.settings.fileDisplayLimit;$("pairing").textContent=s.pairingToken;
const only=$("onlyFailed").checked;const rows=s.files.filter((f)=>!only||f.status==="failed");
$("files").innerHTML=rows.map((f)=>'<tr class="'+(f.status==="failed"?"failed":"")+'" data-status="'+f.status+'"><td>'+esc(f.name)+"</td><td>"+esc(t("st_"+f.status))+"</td><td>"+esc(f.error||"")+"</td><td>"+f.percent+"%</td><td>"+esc(f.path)+"</td></tr>").join("");
$("history").innerHTML=(s.history||[]).map((h)=>'<tr class="'+(h.failed>0||h.status==="aborted"?"failed":"")+'"><td>'+fmtTime(h.startedAt)+"</td><td>"+fmtTime(h.finishedAt)+"</td><td>"+esc(h.name)+"</td><td>"+(h.mode==="token"?t("modeToken"):t("modeUrl"))+"</td><td>"+h.total+"</td><td>"+h.done+"</td><td>"+h.failed+"</td><td>"+esc(t("js_"+h.status))+(h.failedFiles.length?"<details><summary>"+esc(t("failedFiles"))+"</summary>"+h.failedFiles.map((f)=>esc(f.path+f.name)+": "+esc(f.error||"")).join("<br>")+"</details>":"")+'</td><td><button data-open="'+esc(h.key)+'">'+esc(t("openFolder"))+"</button></td></tr>").join("");
const po=s.pendingOrigins||[];$("originsBox").classList.toggle("hidden",po.length===0);
$("origins").innerHTML=po.map((o)=>'<div class="row"><code>'+esc(o.origin)+'</code><button data-origin="'+esc(o.origin)+'" data-answer="allow_once">'+esc(t("allowOnce"))+'</button><button data-origin="'+esc(o.origin)+'" data-answer="allow">'+esc(t("allowAlways"))+'</button><button data-origin="'+esc(o.origin)+'" data-answer="refuse">'+esc(t("refuse"))+"</button></div>").join("");
$("logs").textContent=(s.logs||[]).join("\\n");
const ended=j&&j.status!=="running"&&j.status!=="interrupted"&&j.key!==window.dismissed;$("doneBox").classList.toggle("hidden",!ended);
if(ended){$("doneText").textContent=t("jobDone").replace("{name}",j.name).replace("{ok}",c.done).replace("{total}",c.total).replace("{failed}",c.failed);$("doneOpen").dataset.open=j.key;}}
async function load(){state=await (await fetch("/api/state")).json();render();}
$("start").onclick=()=>post("/api/start").then(load);$("stop").onclick=()=>post("/api/stop").then(load);
$("onlyFailed").onchange=render;$("doneClose").onclick=()=>{window.dismissed=state.job&&state.job.key;render();};$("showLogs").onchange=()=>$("logs").classList.toggle("hidden",!$("showLogs").checked);
$("lang").onchange=()=>{lang=$("lang").value;window.langTouched=true;applyTexts();render();post("/api/settings",{language:lang});};
$("save").onclick=async()=>{const b={output:$("output").value,host:$("host").value,port:Number($("port").value),fileDisplayLimit:Number($("rows").value)};
if($("token").value)b.personalBaseToken=$("token").value;const r=await post("/api/settings",b);$("token").value="";$("saveMsg").textContent=r.restartNeeded?t("restartNeeded"):(r.error||"");load();};
document.body.addEventListener("click",(e)=>{const b=e.target.closest("button");if(!b)return;
if(b.dataset.origin)post("/api/origins",{origin:b.dataset.origin,answer:b.dataset.answer}).then(load);
if(b.dataset.open)post("/api/open",{key:b.dataset.open});});
applyTexts();load();const es=new EventSource("/api/events");es.addEventListener("state",(e)=>{state=JSON.parse(e.data);render();});
</script></body></html>`;
}
