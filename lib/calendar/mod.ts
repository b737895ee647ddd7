/**
 * Feishu calendar v4 events (list, create): the worked example of adding a
 * module for a new Feishu domain on top of the core (see README
 * 「扩展核心：添加一个新的飞书模块」).
 *
 * @example
 * ```ts
 * import { CALENDAR_BUCKETS, CalendarApi } from "./mod.ts";
 * import { LarkHttp } from "../http/mod.ts";
 * import { RateLimiter } from "../rate_limit/mod.ts";
 *
 * const http = new LarkHttp({ baseUrl: "https://open.feishu.cn", limiter: new RateLimiter({ buckets: { ...CALENDAR_BUCKETS } }) });
 * const cal = new CalendarApi(http);
 * for await (const e of cal.listEvents("feishu.cn_xxx@group.calendar.feishu.cn")) console.log(e.summary);
 * ```
 *
 * @module
 */
export * from "./calendar_api.ts";
export * from "./calendar_codes.ts";
