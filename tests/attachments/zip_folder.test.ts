import assert from "node:assert/strict";
import { compressible, zipFolder } from "../../pipelines/attachments/zip_folder.ts";

async function pythonCheck(zip: string): Promise<string[]> {
  const out = await new Deno.Command("python3", {
    args: [
      "-c",
      "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;" +
      "[print(i.filename, i.compress_type, i.file_size) for i in z.infolist()]",
      zip,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("\n");
}

Deno.test("zip: sub-folders kept, .part files left out, stored vs deflated, ZIP64 readable by Python", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const job = `${dir}/任务`;
    await Deno.mkdir(`${job}/合同/子目录`, { recursive: true });
    await Deno.writeTextFile(`${job}/合同/说明.txt`, "重复的文本 ".repeat(5000));
    await Deno.writeFile(`${job}/合同/子目录/图.png`, crypto.getRandomValues(new Uint8Array(40_000)));
    await Deno.writeFile(`${job}/random.bin`, crypto.getRandomValues(new Uint8Array(60_000)));
    await Deno.writeTextFile(`${job}/合同/未完成.pdf.part`, "half");
    await Deno.writeTextFile(`${job}/合同/未完成.pdf.part.json`, "{}");
    assert.equal(await zipFolder(job, `${job}.zip`), 3);
    const entries = await pythonCheck(`${job}.zip`);
    assert.deepEqual(entries.map((e) => e.split(" ")[0]).sort(), [
      "random.bin",
      "合同/子目录/图.png",
      "合同/说明.txt",
    ]);
    const method = Object.fromEntries(entries.map((e) => [e.split(" ")[0], Number(e.split(" ")[1])]));
    assert.equal(method["合同/说明.txt"], 8, "text deflated");
    assert.equal(method["合同/子目录/图.png"], 0, "png stored");
    assert.equal(method["random.bin"], 0, "incompressible data stored");
    assert.equal(await compressible(`${job}/random.bin`, 60_000), false);

    await zipFolder(job, `${dir}/z64.zip`, { zip64: true });
    await pythonCheck(`${dir}/z64.zip`);
    const bytes = await Deno.readFile(`${dir}/z64.zip`);
    const sig = [0x50, 0x4b, 0x06, 0x06]; // ZIP64 end of central directory record
    assert.ok(bytes.some((_, i) => sig.every((b, k) => bytes[i + k] === b)), "ZIP64 records present");
    await assert.rejects(() => Deno.stat(`${dir}/z64.zip.part`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
