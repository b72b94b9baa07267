// htmx does not swap error responses; tell the user instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 404 ? "这一行已不存在（可能已被删除），请刷新页面。"
    : status === 400 ? "页面已过期，请刷新页面后重试。"
    : status === 403 ? "你没有权限这样做：表可能已提交或已通过。请刷新页面。"
    : status === 409 ? "别人刚刚修改了这张表，你的这次操作没有保存。请刷新页面后再试。"
    : "服务器出错了，刚才的修改没有保存。请稍后重试。";
  showMessage(text);
});

document.addEventListener("htmx:sendError", () => showMessage("连接不到服务器，刚才的修改没有保存。"));

function showMessage(text) {
  const message = document.createElement("p");
  message.className = "flash error";
  message.textContent = text;
  document.getElementById("messages").replaceChildren(message);
}
