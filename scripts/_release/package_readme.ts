/**
 * The read-me placed in a portable folder (internal).
 *
 * @module
 */
import type { ReleaseLauncher } from "./tools.ts";
import type { ReleaseTarget } from "./targets.ts";

/** File name of the read-me. */
export const README_NAME = "使用说明.txt";

/**
 * Chinese instructions for someone who has not used a terminal: what each
 * launcher does, where configuration, results and the login are kept, and
 * what to do when Chinese shows as garbage. Windows gets CRLF and a BOM
 * (older Notepad needs them).
 */
export function renderPackageReadme(
  target: ReleaseTarget,
  launchers: readonly ReleaseLauncher[],
  version: string,
): string {
  const win = target.os === "windows";
  const ext = win ? ".cmd" : ".sh";
  const state = win
    ? "%LOCALAPPDATA%\\feishu-kit（在资源管理器地址栏输入 %LOCALAPPDATA%\\feishu-kit 回车即可打开）"
    : target.os === "darwin"
    ? "~/Library/Application Support/feishu-kit"
    : "~/.local/state/feishu-kit（或 $XDG_STATE_HOME/feishu-kit）";
  const run = win
    ? [
      "怎么运行：",
      "  双击对应的 .cmd 文件，会打开一个黑色窗口显示进度，结束后按任意键关闭。",
      "  合同编号查询：把合同编号文件（TXT，每行一个编号）用鼠标拖到 feishu-chatid.cmd 图标上松开。",
      "  需要加参数时：在本文件夹空白处按住 Shift 点右键 →「在此处打开 PowerShell 窗口」，输入例如",
      "    .\\feishu-chatid.cmd 合同编号.txt",
      "    .\\feishu-export.cmd --help",
    ]
    : [
      "怎么运行（终端里）：",
      `  cd 本文件夹；./feishu-chatid${ext} 合同编号.txt；./feishu-export${ext} --help`,
      "  相对路径（含 config/ 与 output/）相对于当前目录；请在本文件夹里运行。",
    ];
  const lines = [
    `feishu-kit ${version}（${target.label}）便携版`,
    "",
    "本文件夹里已经带好了运行所需的一切（Deno 运行时和全部依赖），不需要安装，也不需要联网下载。",
    "",
    "包含的工具：",
    ...launchers.map((l) => `  ${l.name}${ext}  ${l.title}`),
    "",
    ...run,
    "",
    "各工具的 --help 里写的「deno task chatid」「deno task export」等，在这里就是对应的 feishu-chatid、feishu-export 启动器。",
    "",
    "配置文件：config 文件夹里的 *.example.yaml 是带中文注释的示例。复制一份并改名（例如 chatid.example.yaml →",
    "  chatid.yaml），用记事本打开按注释填写后保存即可（UTF-8 编码，带不带 BOM 都可以）。",
    "  也可以放在用户配置目录：" +
    (win
      ? "%APPDATA%\\feishu-kit\\chatid.yaml"
      : target.os === "darwin"
      ? "~/Library/Application Support/feishu-kit/chatid.yaml"
      : "~/.config/feishu-kit/chatid.yaml") +
    "（本文件夹的 config 优先）。",
    "结果文件：在 output 文件夹（Excel、报告、日志）。",
    `登录状态与缓存：${state}。换新版本时直接解压新文件夹即可，不用重新扫码。`,
    "",
    "第一次导出（feishu-export）需要扫码登录飞书网页版：程序会打开 Edge/Chrome 窗口显示二维码，",
    "  用手机飞书扫码确认即可；之后会记住登录。没有窗口时二维码保存为 output\\export\\login_qr.png。",
    "",
    "先试一试（不连飞书）：运行 feishu-sandbox 启动本机沙箱，再另开一个窗口运行",
    `  feishu-chatid${ext} 合同编号.txt --config config/chatid.sandbox.yaml`,
    "",
    "中文显示成乱码时：启动器已把窗口切换为 UTF-8（chcp 65001）。若仍是方块或乱码，请把窗口字体换成",
    "  「新宋体」或「Microsoft YaHei Mono」（窗口标题栏右键 → 属性 → 字体），或改用 Windows 终端。",
    "  结果文件与日志本身总是 UTF-8，不受影响。",
  ];
  return win ? "\uFEFF" + lines.join("\r\n") + "\r\n" : lines.join("\n") + "\n";
}
