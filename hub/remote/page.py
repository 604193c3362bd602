"""The regional desk's page, GET /desk/region: live, no reload (hub/static/desk.js reads
/desk/events and posts to /desk/calls/...). The page itself is a frame of plain bilingual
labels; everything a kiosk or a call says is put in by the script as text, never as HTML.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from hub.remote import desks
from hub.routes import hub_of
from hub.routes.desk_session import SIGN_OUT_BUTTON, sign_in_page, signed_in, token_in_address

router = APIRouter()
PAGE = "/desk/region"
# Scripts only from the hub's own files (a kiosk's words can never run as script), and the
# page is never framed by another site (a clerk tricked into clicking).
POLICY = ("script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")


def _label(zh: str, en: str) -> str:
    """Both languages, Chinese first: the hub serves Chinese clerks."""
    return f'<span lang="zh-CN">{zh}</span> <span lang="en" class="en">{en}</span>'


def render(scope: desks.DeskScope) -> HTMLResponse:
    serves = ", ".join(scope.centres)
    body = f"""
<header>
  <h1>{_label("远程帮办", "Remote help")}: {escape(scope.name)}</h1>
  <p>{_label("服务的中心", "Centres served")}: {escape(serves)}</p>
  <p><label>{_label("您的姓名", "Your name")}
    <input id="clerk" maxlength="60" autocomplete="name"></label></p>
  <p id="link" role="status" aria-live="polite"></p>
</header>
<main>
<section id="calls-part">
  <h2>{_label("等待帮助的呼叫（等得最久的在前）", "Calls waiting, longest first")}</h2>
  <table id="calls"><thead><tr>
    <th>{_label("终端", "Kiosk")}</th><th>{_label("中心", "Centre")}</th>
    <th>{_label("事项", "Service")}</th><th>{_label("步骤", "Step")}</th>
    <th>{_label("已等", "Waited")}</th><th>{_label("状态", "State")}</th><th></th>
  </tr></thead><tbody></tbody></table>
  <p id="no-calls" class="none">{_label("现在没有人等待帮助。", "No one is waiting for help.")}</p>
</section>
<section id="session" hidden>
  <h2 id="session-title"></h2>
  <p id="session-state" role="status" aria-live="assertive" class="state"></p>
  <div id="screen" aria-live="polite"></div>
  <div class="tools">
    <p id="pointing" class="hint"></p>
    <p><label>{_label("要说的话", "Words")}
      <input id="words" maxlength="300"></label>
      <button id="say" type="button">{_label("说给市民听", "Say it")}</button></p>
    <p><label>{_label("填写栏目", "Field")} <select id="fill-field"></select></label>
      <label>{_label("内容", "Value")} <input id="fill-value" maxlength="500"
        autocomplete="off"></label>
      <button id="fill" type="button">{_label("替市民填写", "Fill it in")}</button></p>
    <p><label>{_label("语言", "Language")} <select id="lang">
        <option value="zh_CN">普通话 Mandarin</option><option value="yue">粤语 Cantonese</option>
        <option value="en">English 英语</option></select></label>
      <button id="set-lang" type="button">{_label("换语言", "Change language")}</button>
      <label>{_label("字号", "Text size")} <select id="size">
        <option value="normal">标准 Normal</option><option value="large">大 Large</option>
        <option value="largest">最大 Largest</option></select></label>
      <button id="set-size" type="button">{_label("换字号", "Change size")}</button></p>
    <p><button id="pause" type="button" aria-pressed="false">
        {_label("暂停超时", "Pause time-out")}</button>
      <button id="talk" type="button">{_label("通话", "Talk")}</button>
      <button id="end" type="button" class="end">{_label("结束帮助", "End help")}</button></p>
    <p id="outcome" role="status" aria-live="polite"></p>
  </div>
</section>
</main>
{SIGN_OUT_BUTTON}
<script src="/static/desk.js"></script>
<script src="/static/desk_call.js"></script>
"""
    return HTMLResponse(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>远程帮办 Remote help: {escape(scope.name)}</title>"
        "<link rel=\"stylesheet\" href=\"/static/desk.css\"></head>"
        f"<body>{body}</body></html>\n",
        headers={"Cache-Control": "no-store", "Content-Security-Policy": POLICY})


@router.get(PAGE, include_in_schema=False)
async def region_page(request: Request) -> Response:
    refused = token_in_address(request, PAGE)
    if refused is not None:
        return refused
    desk = await run_in_threadpool(signed_in, request)
    scope = (await run_in_threadpool(desks.scope_of, hub_of(request).db, desk[0])
             if desk else None)
    if scope is None:
        return sign_in_page(PAGE)
    return render(scope)
