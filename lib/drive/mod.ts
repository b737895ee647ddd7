/**
 * Feishu drive v1: collaborators of cloud documents (grant, change, revoke,
 * list on docs, sheets, Bases…) and media of documents (upload in one call or
 * in parts, returning the file token; download streamed with `Range` resume).
 *
 * @example
 * ```ts
 * import { DRIVE_MEDIA_BUCKETS, DRIVE_PERMISSION_BUCKETS, MediaApi, PermissionApi } from "./mod.ts";
 * import { LarkHttp } from "../http/mod.ts";
 * import { RateLimiter } from "../rate_limit/mod.ts";
 * import { staticAuth } from "../auth/auth_provider.ts";
 *
 * const auth = staticAuth("tenant", { Authorization: "Bearer t-xxx" });
 * const limiter = new RateLimiter({ buckets: { ...DRIVE_PERMISSION_BUCKETS, ...DRIVE_MEDIA_BUCKETS } });
 * const http = new LarkHttp({ baseUrl: "https://open.feishu.cn", auth, limiter });
 * await new PermissionApi(http).add("doxcnXXXX", { type: "docx", memberType: "openid", memberId: "ou_x", perm: "edit" });
 * const media = new MediaApi(http, { auth, limiter });
 * const token = await media.upload({ file: "./a.png", fileName: "a.png", parentType: "docx_image", parentNode: "blk" });
 * await media.download(token, "./a-copy.png");
 * ```
 *
 * @module
 */
export * from "./drive_codes.ts";
export * from "./media_api.ts";
export * from "./permission_api.ts";
