import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { win32 } from "node:path";
import {
  defaultConfigFile,
  dirLayout,
  isInside,
  profilePath,
  statePath,
  userDirs,
} from "../../lib/fs/user_dirs.ts";

const envOf = (map: Record<string, string>) => (name: string) => map[name];

const WIN = {
  APPDATA: "C:\\Users\\张 三\\AppData\\Roaming",
  LOCALAPPDATA: "C:\\Users\\张 三\\AppData\\Local",
  USERPROFILE: "C:\\Users\\张 三",
};
const SRC = "file:///C:/Users/%E5%BC%A0/feishu-kit/scripts/chatid.ts";

Deno.test("userDirs: Windows uses %APPDATA% for config, %LOCALAPPDATA% for state and profiles", () => {
  const d = userDirs({ os: "windows", env: envOf(WIN) })!;
  assertEquals(d, {
    config: "C:\\Users\\张 三\\AppData\\Roaming\\feishu-kit",
    state: "C:\\Users\\张 三\\AppData\\Local\\feishu-kit\\state",
    profiles: "C:\\Users\\张 三\\AppData\\Local\\feishu-kit\\profiles",
  });
  for (const p of Object.values(d)) assertEquals(win32.isAbsolute(p), true);
});

Deno.test("userDirs: Windows falls back to %USERPROFILE%\\AppData and ignores relative values", () => {
  const d = userDirs({
    os: "windows",
    env: envOf({ USERPROFILE: "D:\\Home\\li", LOCALAPPDATA: "relative\\x" }),
  })!;
  assertEquals(d.config, "D:\\Home\\li\\AppData\\Roaming\\feishu-kit");
  assertEquals(d.state, "D:\\Home\\li\\AppData\\Local\\feishu-kit\\state");
  // Forward slashes in the environment are normalised to backslashes.
  const f = userDirs({ os: "windows", env: envOf({ APPDATA: "C:/U/R", LOCALAPPDATA: "C:/U/L" }) })!;
  assertEquals(f.profiles, "C:\\U\\L\\feishu-kit\\profiles");
  assertEquals(userDirs({ os: "windows", env: envOf({}) }), undefined);
  assertEquals(userDirs({ os: "windows", env: envOf({ USERPROFILE: "   " }) }), undefined);
});

Deno.test("userDirs: macOS Application Support, Linux XDG with fallbacks", () => {
  assertEquals(userDirs({ os: "darwin", env: envOf({ HOME: "/Users/li" }) }), {
    config: "/Users/li/Library/Application Support/feishu-kit",
    state: "/Users/li/Library/Application Support/feishu-kit/state",
    profiles: "/Users/li/Library/Application Support/feishu-kit/profiles",
  });
  assertEquals(userDirs({ os: "linux", env: envOf({ HOME: "/home/li" }) }), {
    config: "/home/li/.config/feishu-kit",
    state: "/home/li/.local/state/feishu-kit",
    profiles: "/home/li/.local/state/feishu-kit/profiles",
  });
  const x = userDirs({
    os: "linux",
    env: envOf({ HOME: "/home/li", XDG_CONFIG_HOME: "/cfg", XDG_STATE_HOME: "rel/state" }),
  })!;
  assertEquals([x.config, x.state], ["/cfg/feishu-kit", "/home/li/.local/state/feishu-kit"]);
  assertEquals(userDirs({ os: "linux", env: envOf({ HOME: "relative" }) }), undefined);
  assertEquals(userDirs({ os: "darwin", env: envOf({}) }), undefined);
});

Deno.test("dirLayout: env decides, a deno compile binary is user, a checkout is project", () => {
  assertEquals(dirLayout({ env: envOf({}), mainModule: SRC }), "project");
  assertEquals(dirLayout({ env: envOf({ FEISHU_KIT_DIRS: "User" }), mainModule: SRC }), "user");
  assertEquals(
    dirLayout({
      env: envOf({}),
      mainModule: "file:///C:/Users/li/AppData/Local/Temp/deno-compile-feishu-chatid.exe/scripts/chatid.ts",
    }),
    "user",
  );
  assertEquals(
    dirLayout({ env: envOf({}), mainModule: "file:///tmp/deno-compile-feishu-export/scripts/export.ts" }),
    "user",
  );
  assertEquals(
    dirLayout({ env: envOf({ FEISHU_KIT_DIRS: "project" }), mainModule: "file:///tmp/deno-compile-x/a.ts" }),
    "project",
  );
  // An unknown value falls back to detection.
  assertEquals(dirLayout({ env: envOf({ FEISHU_KIT_DIRS: "desktop" }), mainModule: SRC }), "project");
});

Deno.test("statePath/profilePath: project layout stays relative, user layout uses the platform folders", () => {
  const project = { env: envOf(WIN), os: "windows" as const, mainModule: SRC };
  assertEquals(statePath("tokens.sqlite", project), ".state/tokens.sqlite");
  assertEquals(profilePath("chromium-profile", project), ".state/chromium-profile");
  const user = { ...project, env: envOf({ ...WIN, FEISHU_KIT_DIRS: "user" }) };
  assertEquals(
    statePath("tokens.sqlite", user),
    "C:\\Users\\张 三\\AppData\\Local\\feishu-kit\\state\\tokens.sqlite",
  );
  assertEquals(
    profilePath("export-messenger", user),
    "C:\\Users\\张 三\\AppData\\Local\\feishu-kit\\profiles\\export-messenger",
  );
  const linux = {
    os: "linux" as const,
    env: envOf({ HOME: "/home/li", FEISHU_KIT_DIRS: "user" }),
    mainModule: SRC,
  };
  assertEquals(statePath("meeting.sqlite", linux), "/home/li/.local/state/feishu-kit/meeting.sqlite");
  // No home folder at all: the project default is kept rather than failing.
  assertEquals(
    statePath("tokens.sqlite", { ...linux, env: envOf({ FEISHU_KIT_DIRS: "user" }) }),
    ".state/tokens.sqlite",
  );
});

Deno.test("defaultConfigFile: working directory first, then the per-user config folder", () => {
  const user = "C:\\Users\\张 三\\AppData\\Roaming\\feishu-kit\\export.yaml";
  const opts = (files: string[]) => ({
    os: "windows" as const,
    env: envOf(WIN),
    exists: (p: string) => files.includes(p),
  });
  assertEquals(defaultConfigFile("export", opts(["config/export.yaml", user])), "config/export.yaml");
  assertEquals(defaultConfigFile("export", opts([user])), user);
  assertEquals(defaultConfigFile("export", opts([])), "config/export.yaml");
});

Deno.test("isInside: Windows drive letters, either slash, case and look-alike prefixes", () => {
  assertEquals(isInside("C:\\Users\\li\\out", "C:\\Users\\li\\out\\a b\\x.xlsx", "windows"), true);
  assertEquals(isInside("C:\\Users\\li\\out", "c:/users/LI/OUT/x.xlsx", "windows"), true);
  assertEquals(isInside("C:\\Users\\li\\out", "C:\\Users\\li\\out", "windows"), true);
  assertEquals(isInside("C:\\Users\\li\\out", "C:\\Users\\li\\outside\\x", "windows"), false);
  assertEquals(isInside("C:\\Users\\li\\out", "C:\\Users\\li\\out\\..\\x", "windows"), false);
  assertEquals(isInside("C:\\Users\\li\\out", "D:\\Users\\li\\out\\x", "windows"), false);
  assertEquals(isInside("C:\\out", "C:\\out\\..名\\x", "windows"), true);
  assertEquals(isInside("/srv/out", "/srv/out/a/../b", "linux"), true);
  assertEquals(isInside("/srv/out", "/srv/Out/b", "linux"), false);
  assertEquals(isInside("/srv/out", "/srv/out2", "linux"), false);
});
