// The public portal (no login): what citizens and enterprises can do here.
import { h, replace } from "../../dom.js";
import { navigate } from "../../router.js";
import * as session from "../../session.js";

const TILES = [
  ["/console/public/hotline", "12345 诉求", "咨询、求助、投诉、举报、意见建议，可匿名。"],
  ["/console/public/complaint", "涉企侵权投诉", "企业反映乱收费、乱罚款、推诿拖延、拖欠账款等问题，身份严格保密。"],
  ["/console/public/track", "办件查询", "凭编号和查询码查询工单、投诉、办件进度。"],
  ["/console/public/catalog", "政务服务事项", "事项目录：材料、时限、收费、跑动次数。"],
  ["/console/public/disclosure", "四公开", "政策法规、权责清单、办事流程、收费标准。"],
  ["/console/public/kiosk", "窗口评价器", "政务服务窗口的好差评评价器（扫码评价）。"],
];

export async function portalPage({ main }) {
  if (session.signedIn() && session.position() && /^\/console\/?$/.test(location.pathname)) {
    return navigate("/console/home", { replace: true });
  }
  main.dataset.title = "公众服务";
  replace(main,
    h("section", { class: "hero" }, h("h1", {}, "营商环境服务平台"),
      h("p", {}, "凤冈县“一委统筹下的一局四中心”：政务服务、12345热线、涉企投诉、企业服务，办事好不好，您来评。")),
    h("div", { class: "tiles" }, TILES.map(([href, title, text]) =>
      h("a", { class: "tile", href, "data-link": "" }, h("h2", {}, title), h("p", {}, text)))),
    h("p", { class: "muted" }, "工作人员请", h("a", { href: "/console/login", "data-link": "" }, "登录"), "后办理业务。接口文档见 ", h("a", { href: "/docs" }, "/docs"), "。"));
}
