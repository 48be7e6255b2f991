// A unit's own rectification tasks (差评整改 of svc-ratings, 暗访问题整改 of svc-complaints): on
// every department's 工作台 and on the centers' own homes (政务服务中心, 12345 center).
import { FINDING_COLUMNS } from "./finding.js";
import { RECTIFICATION_COLUMNS, items, listSection } from "./lists.js";

export function ownRectifications(dept) {
  return [
    listSection("差评整改", RECTIFICATION_COLUMNS, items("/api/v1/ratings/rectifications", { department: dept, state: "rectifying" }), "没有待整改的差评"),
    listSection("暗访问题整改", FINDING_COLUMNS, items("/api/v1/complaints/findings", { department: dept, state: "open" }), "没有待整改的暗访问题"),
  ];
}
