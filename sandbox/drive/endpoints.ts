/**
 * Endpoints of the drive v1 family: collaborators
 * (open.feishu.cn/document/server-docs/docs/permission/permission-member/…) and media
 * (open.feishu.cn/document/server-docs/docs/drive-v1/media/…).
 *
 * @module
 */
import type { EndpointSpec } from "../_endpoint_spec.ts";

/** Paths of the drive endpoints. */
export const DRIVE_PATHS = {
  members: "/open-apis/drive/v1/permissions/:token/members",
  member: "/open-apis/drive/v1/permissions/:token/members/:member_id",
  uploadAll: "/open-apis/drive/v1/medias/upload_all",
  uploadPrepare: "/open-apis/drive/v1/medias/upload_prepare",
  uploadPart: "/open-apis/drive/v1/medias/upload_part",
  uploadFinish: "/open-apis/drive/v1/medias/upload_finish",
  download: "/open-apis/drive/v1/medias/:file_token/download",
} as const;

/** drive endpoints. */
export const DRIVE_ENDPOINTS = [
  {
    name: "drive_member_create",
    family: "open_api",
    method: "POST",
    path: DRIVE_PATHS.members,
    title: "增加协作者权限",
  },
  {
    name: "drive_member_list",
    family: "open_api",
    method: "GET",
    path: DRIVE_PATHS.members,
    title: "获取协作者列表",
  },
  {
    name: "drive_member_update",
    family: "open_api",
    method: "PUT",
    path: DRIVE_PATHS.member,
    title: "更新协作者权限",
  },
  {
    name: "drive_member_delete",
    family: "open_api",
    method: "DELETE",
    path: DRIVE_PATHS.member,
    title: "移除协作者权限",
  },
  {
    name: "drive_media_upload_all",
    family: "open_api",
    method: "POST",
    path: DRIVE_PATHS.uploadAll,
    title: "上传素材",
  },
  {
    name: "drive_media_upload_prepare",
    family: "open_api",
    method: "POST",
    path: DRIVE_PATHS.uploadPrepare,
    title: "分片上传素材-预上传",
  },
  {
    name: "drive_media_upload_part",
    family: "open_api",
    method: "POST",
    path: DRIVE_PATHS.uploadPart,
    title: "分片上传素材-上传分片",
  },
  {
    name: "drive_media_upload_finish",
    family: "open_api",
    method: "POST",
    path: DRIVE_PATHS.uploadFinish,
    title: "分片上传素材-完成上传",
  },
  {
    name: "drive_media_download",
    family: "open_api",
    method: "GET",
    path: DRIVE_PATHS.download,
    title: "下载素材",
  },
] as const satisfies readonly EndpointSpec[];

/**
 * Documented limits: member create 100/min; the multipart upload calls 5 QPS (the
 * pages' "使用限制"); upload_all and download "special" (5/s UNCONFIRMED).
 */
export const DRIVE_RATE_LIMITS = {
  drive_member_create: { perMinute: 100 },
  drive_media_upload_all: { perSecond: 5 },
  drive_media_upload_prepare: { perSecond: 5 },
  drive_media_upload_part: { perSecond: 5 },
  drive_media_upload_finish: { perSecond: 5 },
  drive_media_download: { perSecond: 5 },
} as const;
