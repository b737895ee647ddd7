/** Worker for find_browser.test.ts: takes the profile lock of the folder it is sent; answers whether it got it. */
import { lockProfile } from "../../lib/browser/_profile_lock.ts";

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<string>) => void) | null;
  postMessage(message: boolean): void;
};
scope.onmessage = async (e) => scope.postMessage(Boolean(await lockProfile(e.data)));
