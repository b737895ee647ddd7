import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { loadFolderMapping } from "../../pipelines/meeting/folder_mapping.ts";
import { distributeRecording, personalDir, teamDirs } from "../../pipelines/meeting/nas.ts";
import { NasError } from "../../pipelines/meeting/nas_error.ts";
import { checkNasRoot } from "../../pipelines/meeting/nas_root_check.ts";
import { exportUsers } from "../../pipelines/meeting/users_export.ts";

const FILE = "张三_周会_20260119_1000.mp4";
const ZHANG = {
  userId: "u_zhang",
  name: "张三",
  departments: [{ id: "D1", name: "研发部/后端组" }, { id: "D2", name: "市场部" }, {
    id: "D3",
    name: "市场部",
  }],
};

async function setup(size = 4096) {
  const root = await Deno.makeTempDir({ prefix: "nas-" });
  const staged = `${root}/.staging/job-1.mp4`;
  await Deno.mkdir(`${root}/.staging`);
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  await Deno.writeFile(staged, bytes);
  return { root, staged, bytes };
}

const exdev = () => {
  const e = new Error("Invalid cross-device link (os error 18)") as Error & { code: string };
  e.code = "EXDEV";
  return Promise.reject(e);
};

Deno.test("nas: same file system → personal and one team copy per department, all hard links", async () => {
  const { root, staged } = await setup();
  const r = await distributeRecording(staged, FILE, ZHANG, {
    nasRoot: root,
    freeBytes: () => Promise.resolve(0),
  });
  const personal = `${root}/u_zhang/${FILE}`;
  assert.equal(r.fileName, FILE);
  assert.equal(r.bytes, 4096);
  assert.deepEqual(r.paths.map((p) => [p.path, p.kind, p.department, p.method]), [
    [personal, "personal", undefined, "link"],
    [`${root}/@team/研发部_后端组/${FILE}`, "team", "研发部/后端组", "link"],
    [`${root}/@team/市场部/${FILE}`, "team", "市场部", "link"],
  ]);
  const src = await Deno.stat(staged);
  for (const p of r.paths) {
    const st = await Deno.stat(p.path);
    assert.equal(st.ino, src.ino, p.path);
  }
  assert.equal((await Deno.stat(personal)).nlink, 4);
  // Re-running is idempotent: everything is skipped, nothing new appears.
  const again = await distributeRecording(staged, FILE, ZHANG, { nasRoot: root, ownName: FILE });
  assert.deepEqual(again.paths.map((p) => p.method), ["skip", "skip", "skip"]);
  assert.deepEqual(again.paths.map((p) => p.path), r.paths.map((p) => p.path));
  assert.deepEqual([...Deno.readDirSync(`${root}/u_zhang`)].map((e) => e.name), [FILE]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("nas: EXDEV → copies written as .part then renamed, size checked, free space checked first", async () => {
  const { root, staged, bytes } = await setup(10_000);
  const probed: string[] = [];
  const r = await distributeRecording(staged, FILE, ZHANG, {
    nasRoot: root,
    link: exdev,
    reserveBytes: 0,
    freeBytes: (dir) => {
      probed.push(dir);
      return Promise.resolve(1e12);
    },
  });
  assert.deepEqual(r.paths.map((p) => p.method), ["copy", "copy", "copy"]);
  const inodes = new Set<number | null>();
  for (const p of r.paths) {
    assert.deepEqual(await Deno.readFile(p.path), bytes);
    inodes.add((await Deno.stat(p.path)).ino);
    await assert.rejects(() => Deno.stat(`${p.path}.part`), Deno.errors.NotFound);
  }
  assert.equal(inodes.size, 3);
  assert.ok(probed.length >= 3, "free space probed before each copy");
  await Deno.remove(root, { recursive: true });
});

Deno.test("nas: not enough space → NasError before any file is written", async () => {
  const { root, staged } = await setup(10_000);
  // Force every target onto "another device" so copies are needed.
  const err = await distributeRecording(staged, FILE, ZHANG, {
    nasRoot: root,
    link: exdev,
    reserveBytes: 1000,
    freeBytes: () => Promise.resolve(10_500),
  }).then(() => assert.fail("should throw"), (e) => e);
  assert.ok(err instanceof NasError);
  assert.equal(err.reason, "no_space");
  assert.match(err.hint, /NAS 空间不足/);
  assert.deepEqual([...Deno.readDirSync(`${root}/u_zhang`)], []);
  await Deno.remove(root, { recursive: true });
});

Deno.test("nas: a foreign file under the name → suffix (2), and the team copies take the same name", async () => {
  const { root, staged } = await setup(100);
  await Deno.mkdir(`${root}/u_zhang`);
  await Deno.writeFile(`${root}/u_zhang/${FILE}`, new Uint8Array(7));
  const r = await distributeRecording(staged, FILE, ZHANG, { nasRoot: root, teamFolder: "共享" });
  const suffixed = "张三_周会_20260119_1000 (2).mp4";
  assert.equal(r.fileName, suffixed);
  assert.equal(r.personal.path, `${root}/u_zhang/${suffixed}`);
  assert.equal(r.paths[1].path, `${root}/共享/研发部_后端组/${suffixed}`);
  assert.equal((await Deno.stat(`${root}/u_zhang/${FILE}`)).size, 7, "the foreign file is untouched");
  await Deno.remove(root, { recursive: true });
});

Deno.test("nas: personal folder by name, by mapping (sub-folders allowed, never outside the root)", () => {
  const root = "/nas";
  assert.equal(personalDir(ZHANG, { nasRoot: root }), "/nas/u_zhang");
  assert.equal(personalDir(ZHANG, { nasRoot: root, personalFolder: "name" }), "/nas/张三");
  assert.equal(
    personalDir({ ...ZHANG, name: "CON" }, { nasRoot: root, personalFolder: "name" }),
    "/nas/CON_",
  );
  const mapping = new Map([["u_zhang", "研发/张三 (后端)"], ["u_evil", "../../etc"], [
    "u_abs",
    "/etc/cron.d",
  ]]);
  assert.equal(personalDir(ZHANG, { nasRoot: root, mapping }), "/nas/研发/张三 (后端)");
  assert.equal(personalDir({ ...ZHANG, userId: "u_evil" }, { nasRoot: root, mapping }), "/nas/__/__/etc");
  assert.equal(personalDir({ ...ZHANG, userId: "u_abs" }, { nasRoot: root, mapping }), "/nas/etc/cron.d");
  assert.deepEqual(teamDirs(ZHANG, { nasRoot: root, teamCopies: false }), []);
  assert.deepEqual(teamDirs({ ...ZHANG, departments: [{ id: "x", name: ".." }] }, { nasRoot: root }), [
    { department: "..", dir: "/nas/@team/__" },
  ]);
});

Deno.test("mapping file: CSV exported by meeting:users (BOM) once filled in, YAML map and list", async () => {
  const dir = await Deno.makeTempDir();
  const rows = [
    { user_id: "u1", name: "张三", email: "z@x.cn", departments: ["研发部"] },
    { user_id: "u2", name: "李四", departments: [] },
  ];
  await exportUsers(rows, `${dir}/users.csv`);
  const csv = await Deno.readTextFile(`${dir}/users.csv`);
  await Deno.writeTextFile(
    `${dir}/users.csv`,
    csv.replace("u1,张三,z@x.cn,研发部,", "u1,张三,z@x.cn,研发部,研发/张三"),
  );
  assert.deepEqual([...await loadFolderMapping(`${dir}/users.csv`)], [["u1", "研发/张三"]]);
  await Deno.writeTextFile(`${dir}/m.yaml`, "u1: 张三\nu2: 李四的目录\n");
  assert.deepEqual([...await loadFolderMapping(`${dir}/m.yaml`)], [["u1", "张三"], ["u2", "李四的目录"]]);
  await Deno.writeTextFile(`${dir}/l.yml`, "- {user_id: u3, folder: 王五}\n- {user_id: u4}\n");
  assert.deepEqual([...await loadFolderMapping(`${dir}/l.yml`)], [["u3", "王五"]]);
  await Deno.writeTextFile(`${dir}/bad.csv`, "id,name\n1,2\n");
  await assert.rejects(
    () => loadFolderMapping(`${dir}/bad.csv`),
    (e) => e instanceof ConfigError && /user_id/.test(e.hint),
  );
  await assert.rejects(() => loadFolderMapping(`${dir}/none.csv`), ConfigError);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("nas root check: missing, not a folder, read-only, low space", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    () => checkNasRoot(`${dir}/nope`),
    (e) => e instanceof NasError && e.reason === "root_missing",
  );
  await Deno.writeTextFile(`${dir}/f`, "x");
  await assert.rejects(
    () => checkNasRoot(`${dir}/f`),
    (e) => e instanceof NasError && e.reason === "not_a_directory",
  );
  const ok = await checkNasRoot(dir, { freeBytes: () => Promise.resolve(5 * 1024 ** 3) });
  assert.deepEqual(ok, { freeBytes: 5 * 1024 ** 3, warnings: [] });
  assert.equal([...Deno.readDirSync(dir)].length, 1, "the probe file is removed");
  const low = await checkNasRoot(dir, { freeBytes: () => Promise.resolve(1024) });
  assert.match(low.warnings[0], /剩余空间/);
  const unknown = await checkNasRoot(dir, { freeBytes: () => Promise.resolve(undefined) });
  assert.match(unknown.warnings[0], /allow-sys/);
  await Deno.mkdir(`${dir}/ro`);
  await Deno.chmod(`${dir}/ro`, 0o555);
  const writable = await Deno.writeTextFile(`${dir}/ro/t`, "x").then(() => true, () => false);
  if (!writable) { // (root ignores permissions: nothing to check then)
    await assert.rejects(
      () => checkNasRoot(`${dir}/ro`),
      (e) => e instanceof NasError && e.reason === "not_writable",
    );
  }
  await Deno.chmod(`${dir}/ro`, 0o755);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("nas: a user named like the team folder never gets the team root as a personal folder", async () => {
  const root = "/nas";
  const team = { userId: "u_t", name: "@team", departments: [] };
  const byName = { nasRoot: root, personalFolder: "name" as const };
  assert.equal(personalDir(team, byName), "/nas/@team_u_t");
  assert.equal(personalDir({ ...team, name: "@TEAM" }, byName), "/nas/@TEAM_u_t", "NAS shares ignore case");
  assert.equal(personalDir({ ...team, userId: "@team", name: "x" }, { nasRoot: root }), "/nas/@team_@team");
  assert.equal(personalDir({ ...team, name: "团队" }, { ...byName, teamFolder: "团队" }), "/nas/团队_u_t");
  assert.equal(personalDir({ ...team, name: "@team" }, { ...byName, teamFolder: "共享" }), "/nas/@team");
  const mapping = new Map([["u_t", "@team/销售部"]]);
  assert.equal(personalDir(team, { nasRoot: root, mapping }), "/nas/@team_u_t/销售部");

  // End to end: the personal file of "@team" (one department) is not written into the team root.
  const { root: nas, staged } = await setup();
  const r = await distributeRecording(
    staged,
    FILE,
    { ...team, departments: [{ id: "D1", name: "市场部" }] },
    {
      nasRoot: nas,
      personalFolder: "name",
      freeBytes: () => Promise.resolve(0),
    },
  );
  assert.equal(r.personal.path, `${nas}/@team_u_t/${FILE}`);
  assert.deepEqual([...Deno.readDirSync(`${nas}/@team`)].map((e) => e.name), ["市场部"]);
  await Deno.remove(nas, { recursive: true });
});
