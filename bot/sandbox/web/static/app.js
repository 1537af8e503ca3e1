// iopbot sandbox page: plain JavaScript, no libraries, no build step.
// Everything goes through the emulator's control API with the per-run key.
"use strict";

const S = {
  key: null, world: null, person: null, viewerId: null, channelId: null,
  view: null, commands: [], leaves: [], refreshTimer: null, menuFor: null, modal: null,
};
const $ = (id) => document.getElementById(id);

// ----- the key and the API ---------------------------------------------------------------

function readKey() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("key");
  if (fromUrl) {
    sessionStorage.setItem("iopbot-sandbox-key", fromUrl);
    history.replaceState(null, "", "/");  // keep the key out of the address bar and history
    return fromUrl;
  }
  return sessionStorage.getItem("iopbot-sandbox-key");
}

async function api(path, body) {
  const headers = { "X-Sandbox-Key": S.key };
  const init = { headers, method: body === undefined ? "GET" : "POST", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch("/_control/" + path, init);
  let data = null;
  try { data = await response.json(); } catch (_) { data = null; }
  if (!response.ok) {
    const error = new Error((data && data.error) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function toast(text, kind) {
  const box = $("toast");
  box.textContent = text;
  box.className = "toast" + (kind === "info" ? " info" : "");
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, kind === "info" ? 2500 : 6000);
}

async function act(promise) {
  try { return await promise; } catch (error) { toast(error.message); return null; }
}

// ----- time formatting in the viewer's zone ---------------------------------------------------

function viewerZone() {
  const me = S.world && S.world.people.find((p) => p.id === S.viewerId);
  return (me && me.timezone) || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function fmt(date, options) {
  return new Intl.DateTimeFormat("en-US", { timeZone: viewerZone(), ...options }).format(date);
}

const STYLES = {
  t: { hour: "numeric", minute: "2-digit" },
  T: { hour: "numeric", minute: "2-digit", second: "2-digit" },
  d: { year: "numeric", month: "2-digit", day: "2-digit" },
  D: { year: "numeric", month: "long", day: "numeric" },
  f: { year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" },
  F: { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" },
};

function discordTime(seconds, style) {
  const date = new Date(seconds * 1000);
  if (style === "R") {
    const now = S.world ? new Date(S.world.now) : new Date();
    const diff = (date - now) / 1000;
    const units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
      ["hour", 3600], ["minute", 60], ["second", 1]];
    const [unit, size] = units.find(([, s]) => Math.abs(diff) >= s) || ["second", 1];
    return new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(Math.round(diff / size), unit);
  }
  return fmt(date, STYLES[style] || STYLES.f);
}

// ----- markdown (a Discord subset), on escaped text only -------------------------------------

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

function nameOf(kind, id) {
  const table = S.world ? S.world[kind] : {};
  return (table && table[id]) || null;
}

function inline(text) {
  // `text` is already HTML-escaped; each rule only adds markup around it.
  const codes = [];
  let out = text.replace(/`([^`\n]+)`/g, (_, code) => { codes.push(code); return `\u0000${codes.length - 1}\u0000`; });
  out = out
    .replace(/&lt;t:(-?\d+)(?::([tTdDfFR]))?&gt;/g, (_, s, style) =>
      `<time class="timestamp" title="${escapeHtml(discordTime(+s, "F"))}">${escapeHtml(discordTime(+s, style || "f"))}</time>`)
    .replace(/&lt;@!?(\d+)&gt;/g, (_, id) => `<span class="mention">@${escapeHtml(nameOf("users", id) || "unknown-user")}</span>`)
    .replace(/&lt;@&amp;(\d+)&gt;/g, (_, id) => `<span class="mention">@${escapeHtml(nameOf("roles", id) || "unknown-role")}</span>`)
    .replace(/&lt;#(\d+)&gt;/g, (_, id) => `<span class="mention">#${escapeHtml(nameOf("channels", id) || "unknown")}</span>`)
    .replace(/&lt;a?:(\w+):\d+&gt;/g, ":$1:")
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
    .replace(/(^|[\s(])(https?:\/\/[^\s<]+)/g, '$1<a href="$2" target="_blank" rel="noopener noreferrer">$2</a>')
    .replace(/\*\*\*(.+?)\*\*\*/g, "<strong><em>$1</em></strong>")
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/__(.+?)__/g, "<u>$1</u>")
    .replace(/(^|[^*\w])\*(?!\s)(.+?)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_(?!\s)(.+?)_(?!\w)/g, "$1<em>$2</em>")
    .replace(/~~(.+?)~~/g, "<s>$1</s>")
    .replace(/\|\|(.+?)\|\|/g, '<span class="spoiler" tabindex="0">$1</span>');
  return out.replace(/\u0000(\d+)\u0000/g, (_, i) => `<code>${codes[+i]}</code>`);
}

function markdown(raw) {
  const text = escapeHtml(raw || "");
  const blocks = [];
  const withoutCode = text.replace(/```(?:[\w-]*\n)?([\s\S]*?)```/g, (_, code) => {
    blocks.push(code);
    return `\u0001${blocks.length - 1}\u0001`;
  });
  const lines = withoutCode.split("\n").map((line) => {
    let m;
    if ((m = line.match(/^(#{1,3}) (.*)$/))) return `<h${m[1].length + 2}>${inline(m[2])}</h${m[1].length + 2}>`;
    if ((m = line.match(/^-# (.*)$/))) return `<span class="subtext">${inline(m[1])}</span>`;
    if ((m = line.match(/^&gt; ?(.*)$/))) return `<blockquote>${inline(m[1])}</blockquote>`;
    if ((m = line.match(/^(\s*)[-*] (.*)$/))) return `${m[1]}• ${inline(m[2])}`;
    return inline(line);
  });
  const html = lines.join("\n").replace(/(<\/(?:h\d|blockquote)>)\n/g, "$1");
  return html.replace(/\u0001(\d+)\u0001/g, (_, i) => `<pre><code>${blocks[+i]}</code></pre>`);
}

function md(tag, cls, raw) {
  const node = el(tag, cls);
  node.innerHTML = markdown(raw);  // safe: markdown() escapes first and only adds known markup
  return node;
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// ----- loading state -------------------------------------------------------------------------

async function loadWorld() {
  S.world = await api("page/world");
  $("guild-name").textContent = S.world.guild ? S.world.guild.name : "iopbot sandbox";
  renderPeople();
  renderClock();
  renderDemo();
}

async function loadPerson() {
  S.person = await api(`page/users/${S.viewerId}`);
  const visible = S.person.channels.map((c) => c.id);
  if (S.person.dm_channel_id) visible.push(S.person.dm_channel_id);
  if (!visible.includes(S.channelId)) S.channelId = visible[0] || null;
  renderChannels();
}

async function loadChannel() {
  if (!S.channelId) {
    S.view = null;
    forget("messages");
    renderMessages();
    return;
  }
  const [view, commands] = await Promise.all([
    api(`page/users/${S.viewerId}/channels/${S.channelId}`),
    api(`page/users/${S.viewerId}/commands?channel=${S.channelId}`),
  ]);
  S.view = view;
  S.commands = commands;
  const me = S.person && S.person.channels.find((c) => c.id === S.channelId);
  // Relative times (<t:…:R>, "in 2 hours") move with the sandbox clock.
  const relative = JSON.stringify(view).includes(":R>") ? S.world.now : null;
  const shown = [S.viewerId, S.channelId, me ? me.can_send : null, viewerZone(), S.world.bot.name, relative, view];
  if (!unchanged("messages", shown)) renderMessages();
  renderCommandPicker();
}

// A refresh that changed nothing leaves a part of the page alone: rebuilding it would
// reload every image, close an open picker and detach nodes someone is reading (or a test
// is holding). unchanged(part, state) is true when `state` is what the part last showed.
const SHOWN = {};

function unchanged(part, state) {
  const key = JSON.stringify(state);
  if (SHOWN[part] === key) return true;
  SHOWN[part] = key;
  return false;
}

function forget(part) {
  delete SHOWN[part];
}

async function refreshAll() {
  try {
    await loadWorld();
    await loadPerson();
    await loadChannel();
  } catch (error) {
    toast(error.message);
  }
}

function scheduleRefresh() {
  clearTimeout(S.refreshTimer);
  S.refreshTimer = setTimeout(refreshAll, 120);
}

// ----- the left column -----------------------------------------------------------------------

function renderPeople() {
  if (unchanged("people", [S.world.people, S.viewerId, S.world.checkin_time, viewerZone()])) return;
  const picker = $("person-picker");
  const chosen = S.viewerId;
  picker.replaceChildren();
  for (const p of S.world.people) {
    const option = el("option", null, p.name + (p.roles.length ? ` · ${p.roles.join(", ")}` : p.member ? " · no role" : ""));
    option.value = p.id;
    picker.append(option);
  }
  picker.value = chosen;
  const me = S.world.people.find((p) => p.id === chosen);
  $("person-roles").replaceChildren(...(me ? me.roles : []).map((r) => el("span", "role", r)));
  $("viewer-zone").textContent = `times in ${viewerZone()}`;

  const nextClient = $("next-client");
  const keep = nextClient.value;
  nextClient.replaceChildren();
  for (const p of S.world.people) {
    const option = el("option", null, p.name);
    option.value = p.id;
    nextClient.append(option);
  }
  // The seeded clients first (scenario keys "client1"...), else whoever comes first.
  const client = S.world.people.find((p) => (p.key || "").startsWith("client"));
  nextClient.value = keep || (client ? client.id : "");
  if (!nextClient.value && nextClient.options.length) nextClient.selectedIndex = 0;
  updateNextButton();
}

function updateNextButton() {
  const picked = $("next-client").selectedOptions[0];
  $("next-local").textContent = `Next ${S.world ? S.world.checkin_time : "09:00"}` + (picked ? ` for ${picked.textContent}` : "");
}

function channelButton(id, label, prefix) {
  const li = el("li");
  const button = el("button");
  button.type = "button";
  button.dataset.channelId = id;
  button.append(el("span", "hash", prefix), el("span", null, label));
  button.setAttribute("aria-current", String(id === S.channelId));
  button.addEventListener("click", () => selectChannel(id));
  li.append(button);
  return li;
}

function renderChannels() {
  if (unchanged("channels", [S.person, S.channelId, S.world.bot.name])) return;
  const list = $("channel-list");
  list.replaceChildren();
  let category;
  for (const c of S.person.channels) {
    if (c.category !== category && c.category) list.append(el("li", "category", c.category));
    category = c.category;
    list.append(channelButton(c.id, c.name, "#"));
  }
  if (!S.person.channels.length) list.append(el("li", "category", "No channels visible"));
  const dms = $("dm-list");
  dms.replaceChildren();
  if (S.person.dm_channel_id) {
    dms.append(channelButton(S.person.dm_channel_id, S.world.bot.name, "@"));
  } else {
    dms.append(el("li", "category", "No DMs yet"));
  }
}

async function selectChannel(id) {
  S.channelId = id;
  closeCommandPanel();
  renderChannels();
  await act(loadChannel());
  $("composer-input").focus();
}

// ----- messages ------------------------------------------------------------------------------

const COLORS = ["#5865f2", "#3ba55c", "#faa61a", "#ed4245", "#eb459e", "#00a8fc"];

function avatar(author) {
  const node = el("div", "avatar", (author.name || "?").trim().charAt(0).toUpperCase());
  node.style.background = COLORS[Number(BigInt(author.id) % BigInt(COLORS.length))];
  node.setAttribute("aria-hidden", "true");
  return node;
}

function renderMessages() {
  const list = $("messages");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.replaceChildren();
  if (!S.view) {
    $("channel-title").textContent = "Nothing to show";
    $("channel-topic").textContent = "";
    list.append(el("li", "empty", "This person sees no channels yet."));
    return;
  }
  const channel = S.view.channel;
  $("channel-title").textContent = channel.is_dm ? `@${channel.name.replace(/^DM with /, "")}` : `#${channel.name}`;
  $("channel-topic").textContent = channel.topic || (channel.is_dm ? "Your direct messages with the bot" : "");
  const me = S.person && S.person.channels.find((c) => c.id === S.channelId);
  $("composer-input").placeholder = me && !me.can_send
    ? "You cannot post here (type / for commands)"
    : `Message ${channel.is_dm ? "@" + S.world.bot.name : "#" + channel.name} (type / for commands)`;
  if (!S.view.messages.length) list.append(el("li", "empty", "No messages here yet."));
  for (const message of S.view.messages) list.append(renderMessage(message));
  if (nearBottom || renderMessages.first !== S.channelId) list.scrollTop = list.scrollHeight;
  renderMessages.first = S.channelId;
}

function renderMessage(m) {
  const li = el("li", "message" + (m.ephemeral ? " ephemeral" : ""));
  li.dataset.messageId = m.id;
  li.dataset.testid = "message";
  li.append(avatar(m.author));
  if (m.interaction && m.interaction.name) {
    li.append(el("div", "used", `${m.interaction.user || "Someone"} used /${m.interaction.name}`));
  }
  const meta = el("div", "meta");
  meta.append(el("span", "author", m.author.name));
  if (m.author.bot) meta.append(el("span", "bot-tag", "BOT"));
  const time = el("time", "time", fmt(new Date(m.timestamp), { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }));
  time.dateTime = m.timestamp;
  meta.append(time);
  li.append(meta);
  if (m.loading) li.append(el("div", "loading", `${m.author.name} is thinking…`));
  if (m.content) {
    const content = md("div", "content", m.content);
    if (m.edited) content.append(el("span", "edited", "(edited)"));
    li.append(content);
  }
  for (const embed of m.embeds) li.append(renderEmbed(embed));
  for (const file of m.attachments) li.append(renderAttachment(file));
  if (m.components.length) li.append(renderComponents(m.components, m));
  if (m.ephemeral) li.append(el("div", "only-you", "Only you can see this"));
  const more = el("button", "more", "⋯");
  more.type = "button";
  more.setAttribute("aria-label", "Apps: message actions");
  more.addEventListener("click", (event) => openMenu(m, event.currentTarget));
  li.append(more);
  li.addEventListener("contextmenu", (event) => {
    event.preventDefault();
    openMenu(m, null, event.clientX, event.clientY);
  });
  return li;
}

function renderEmbed(e) {
  const box = el("div", "embed");
  if (e.color !== undefined && e.color !== null) box.style.borderLeftColor = "#" + Number(e.color).toString(16).padStart(6, "0");
  if (e.author && e.author.name) box.append(el("div", "embed-author", e.author.name));
  if (e.title) {
    const title = md("div", "embed-title", e.title);
    box.append(title);
  }
  if (e.description) box.append(md("div", "embed-description", e.description));
  if (e.fields && e.fields.length) {
    const fields = el("div", "embed-fields");
    for (const f of e.fields) {
      const field = el("div", "embed-field" + (f.inline ? " inline" : ""));
      field.append(md("div", "embed-field-name", f.name), md("div", "embed-field-value", f.value));
      fields.append(field);
    }
    box.append(fields);
  }
  const image = e.image && e.image.url;
  if (image && image.startsWith("/attachments/")) {
    const img = el("img");
    img.src = image;
    img.alt = "embed image";
    box.append(img);
  }
  const footer = [e.footer && e.footer.text, e.timestamp && fmt(new Date(e.timestamp), STYLES.f)].filter(Boolean);
  if (footer.length) box.append(el("div", "embed-footer", footer.join(" • ")));
  return box;
}

function renderAttachment(file) {
  const box = el("div", "attachment");
  const isImage = (file.content_type || "").startsWith("image/") || /\.(png|jpe?g|gif|webp)$/i.test(file.filename || "");
  if (isImage && file.url.startsWith("/attachments/")) {
    const img = el("img");
    img.src = file.url;
    img.alt = file.filename;
    img.loading = "lazy";
    box.append(img);
  } else {
    const link = el("a", "file", `📄 ${file.filename} (${Math.max(1, Math.round((file.size || 0) / 1024))} KB)`);
    if (file.url.startsWith("/attachments/")) link.href = file.url;
    link.download = file.filename;
    box.append(link);
  }
  return box;
}

function renderComponents(items, message) {
  const box = el("div", "components");
  for (const item of items) box.append(renderComponent(item, message));
  return box;
}

function renderComponent(c, message) {
  switch (c.type) {
    case 1: {
      const row = el("div", "action-row");
      for (const child of c.components || []) row.append(renderComponent(child, message));
      return row;
    }
    case 2: return renderButton(c, message);
    case 3: case 5: case 6: case 7: case 8: return renderSelect(c, message);
    case 9: {
      const section = el("div", "section");
      const text = el("div");
      for (const child of c.components || []) text.append(renderComponent(child, message));
      section.append(text);
      if (c.accessory) section.append(renderComponent(c.accessory, message));
      return section;
    }
    case 10: return md("div", "content", c.content);
    case 14: return el("hr", "separator");
    case 17: {
      const box = el("div", "container");
      if (c.accent_color !== undefined && c.accent_color !== null) box.style.borderLeftColor = "#" + Number(c.accent_color).toString(16).padStart(6, "0");
      for (const child of c.components || []) box.append(renderComponent(child, message));
      return box;
    }
    default: return el("div", "hint", `[component type ${c.type}]`);
  }
}

function renderButton(c, message) {
  const label = [c.emoji && c.emoji.name, c.label].filter(Boolean).join(" ") || "Button";
  if (c.style === 5 && c.url) {
    const link = el("a", "btn-5", label + " ↗");
    if (/^https?:/.test(c.url)) link.href = c.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }
  const button = el("button", `btn-${c.style || 2}`, label);
  button.type = "button";
  button.disabled = Boolean(c.disabled);
  button.dataset.customId = c.custom_id || "";
  button.addEventListener("click", () => clickComponent(message, c.custom_id, undefined, button));
  return button;
}

function pickerOptions(type) {
  // user (5), role (6), mentionable (7), channel (8) selects list the world's names
  const w = S.world;
  const users = w.people.map((p) => [p.id, p.name]);
  const roles = Object.entries(w.roles).filter(([, n]) => n !== "@everyone");
  const channels = Object.entries(w.channels).map(([id, n]) => [id, "#" + n]);
  return { 5: users, 6: roles, 7: users.concat(roles.map(([id, n]) => [id, "@" + n])), 8: channels }[type] || [];
}

function selectControl(c, multiple) {
  const select = el("select");
  select.multiple = multiple;
  if (!multiple) {
    const none = el("option", null, c.placeholder || "Choose…");
    none.value = "";
    select.append(none);
  }
  const options = c.type === 3
    ? (c.options || []).map((o) => [o.value, o.label, o.default])
    : pickerOptions(c.type).map(([id, n]) => [id, n, false]);
  for (const [value, label, chosen] of options) {
    const option = el("option", null, label);
    option.value = value;
    option.selected = Boolean(chosen);
    select.append(option);
  }
  select.disabled = Boolean(c.disabled);
  return select;
}

function renderSelect(c, message) {
  const multiple = (c.max_values || 1) > 1;
  const select = selectControl(c, multiple);
  select.setAttribute("aria-label", c.placeholder || "Select");
  const send = () => {
    const values = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
    if (values.length) clickComponent(message, c.custom_id, values, select);
  };
  if (multiple) {
    const wrap = el("div", "action-row");
    const go = el("button", "btn-1", "Choose");
    go.type = "button";
    go.addEventListener("click", send);
    wrap.append(select, go);
    return wrap;
  }
  select.addEventListener("change", send);
  return select;
}

async function clickComponent(message, customId, values, control) {
  if (control) control.disabled = true;
  const body = { user: S.viewerId, message_id: message.id, custom_id: customId };
  if (values !== undefined) body.values = values;
  const result = await act(api("click", body));
  if (control) control.disabled = false;
  handleResult(result);
}

function handleResult(result) {
  if (!result) return;
  if (result.type === null) toast("The bot did not answer in time (Discord would show “This interaction failed”).");
  if (result.modal) openModal(result.modal);
  scheduleRefresh();
}

// ----- context menu --------------------------------------------------------------------------

function openMenu(message, anchor, x, y) {
  const menu = $("context-menu");
  menu.replaceChildren(el("div", "menu-title", "Apps"));
  const commands = S.commands.filter((c) => c.type === 3);
  if (!commands.length) menu.append(el("div", "menu-title", "No message commands for you here"));
  for (const command of commands) {
    const item = el("button", null, command.name);
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.addEventListener("click", async () => {
      closeMenu();
      const result = await act(api("context-menu", { user: S.viewerId, message_id: message.id, name: command.name }));
      handleResult(result);
    });
    menu.append(item);
  }
  const rect = anchor ? anchor.getBoundingClientRect() : { left: x, bottom: y };
  menu.hidden = false;
  menu.style.left = Math.min(rect.left, window.innerWidth - menu.offsetWidth - 8) + "px";
  menu.style.top = Math.min(rect.bottom, window.innerHeight - menu.offsetHeight - 8) + "px";
  S.menuFor = anchor;
  const first = menu.querySelector("button");
  if (first) first.focus();
}

function closeMenu() {
  const menu = $("context-menu");
  if (menu.hidden) return;
  menu.hidden = true;
  if (S.menuFor) S.menuFor.focus();
  S.menuFor = null;
}

// ----- modals (forms the bot opens) --------------------------------------------------------------

function modalField(labelText, description, control, required) {
  const field = el("div", "field");
  const id = "f-" + Math.random().toString(36).slice(2);
  const label = el("label", null, labelText || "");
  if (required) label.append(el("span", "required", " *"));
  label.htmlFor = id;
  if (control.matches && control.matches("fieldset")) control.setAttribute("aria-label", labelText || "");
  else control.id = id;
  field.append(label);
  if (description) field.append(el("div", "hint", description));
  field.append(control);
  return field;
}

function modalInput(c, collectors) {
  const required = c.required !== false;
  switch (c.type) {
    case 4: {
      const input = c.style === 2 ? el("textarea") : el("input");
      input.name = c.custom_id;
      input.required = required;
      if (c.placeholder) input.placeholder = c.placeholder;
      if (c.max_length) input.maxLength = c.max_length;
      if (c.min_length) input.minLength = c.min_length;
      if (c.value) input.value = c.value;
      collectors.push([c.custom_id, () => input.value]);
      return [input, required];
    }
    case 3: case 5: case 6: case 7: case 8: {
      const multiple = (c.max_values || 1) > 1;
      const select = selectControl(c, multiple);
      select.name = c.custom_id;
      select.required = required && (c.min_values === undefined || c.min_values > 0);
      collectors.push([c.custom_id, () => [...select.selectedOptions].map((o) => o.value).filter(Boolean)]);
      return [select, select.required];
    }
    case 21: case 22: {
      const radio = c.type === 21;
      const set = el("fieldset", "choice-list");
      const name = c.custom_id;
      for (const o of c.options || []) {
        const label = el("label");
        const box = el("input");
        box.type = radio ? "radio" : "checkbox";
        box.name = name;
        box.value = o.value;
        box.checked = Boolean(o.default);
        if (radio && required) box.required = true;
        label.append(box, el("span", null, o.label + (o.description ? ` — ${o.description}` : "")));
        set.append(label);
      }
      const chosen = () => [...set.querySelectorAll("input:checked")].map((b) => b.value);
      collectors.push([name, () => (radio ? (chosen()[0] ?? null) : chosen())]);
      return [set, radio && required];
    }
    case 23: {
      const box = el("input");
      box.type = "checkbox";
      box.name = c.custom_id;
      box.checked = Boolean(c.default);
      collectors.push([c.custom_id, () => box.checked]);
      return [box, false];
    }
    default:
      return [el("div", "hint", `This form asks for something the sandbox page cannot show (component type ${c.type}).`), false];
  }
}

function renderModalItem(item, collectors) {
  if (item.type === 1) {
    return (item.components || []).map((c) => {
      const [control, required] = modalInput(c, collectors);
      return modalField(c.label, null, control, required);
    });
  }
  if (item.type === 18 && item.component) {
    const [control, required] = modalInput(item.component, collectors);
    return [modalField(item.label, item.description, control, required)];
  }
  if (item.type === 10) return [md("div", "content", item.content)];
  const [control, required] = modalInput(item, collectors);
  return [modalField(item.label, null, control, required)];
}

function openModal(modal) {
  const dialog = $("modal");
  const collectors = [];
  $("modal-title").textContent = modal.title || "Form";
  const body = $("modal-body");
  body.replaceChildren();
  for (const item of modal.components || []) body.append(...renderModalItem(item, collectors));
  S.modal = { modal, collectors };
  if (!dialog.open) dialog.showModal();
  const first = body.querySelector("input, textarea, select");
  if (first) first.focus();
}

async function submitModal(event) {
  event.preventDefault();
  const form = $("modal-form");
  if (!form.reportValidity() || !S.modal) return;
  const values = {};
  for (const [id, get] of S.modal.collectors) {
    const value = get();
    if (value !== null && value !== "" && !(Array.isArray(value) && !value.length)) values[id] = value;
  }
  const submit = $("modal-submit");
  submit.disabled = true;
  const result = await act(api("modal", { user: S.viewerId, custom_id: S.modal.modal.custom_id, values }));
  submit.disabled = false;
  if (!result) return;  // keep the dialog and its answers: nothing is lost
  $("modal").close();
  S.modal = null;
  handleResult(result);
}

// ----- the slash-command form ---------------------------------------------------------------------

function leavesOf(command) {
  const subs = (command.options || []).filter((o) => o.type === 1 || o.type === 2);
  if (!subs.length) return [{ path: command.name, description: command.description, options: command.options || [] }];
  const found = [];
  for (const sub of subs) {
    if (sub.type === 1) found.push({ path: `${command.name} ${sub.name}`, description: sub.description, options: sub.options || [] });
    else for (const leaf of sub.options || []) {
      found.push({ path: `${command.name} ${sub.name} ${leaf.name}`, description: leaf.description, options: leaf.options || [] });
    }
  }
  return found;
}

function renderCommandPicker() {
  if (unchanged("commands", S.commands)) return;
  const picker = $("command-picker");
  const keep = picker.value;
  S.leaves = S.commands.filter((c) => (c.type || 1) === 1).flatMap(leavesOf).sort((a, b) => a.path.localeCompare(b.path));
  picker.replaceChildren();
  for (const leaf of S.leaves) {
    const option = el("option", null, "/" + leaf.path);
    option.value = leaf.path;
    picker.append(option);
  }
  if (keep && S.leaves.some((l) => l.path === keep)) picker.value = keep;
  else if (!$("command-panel").hidden) renderCommandOptions();
}

function optionControl(o) {
  let control;
  if (o.choices && o.choices.length) {
    control = el("select");
    const none = el("option", null, o.required ? "Choose…" : "(none)");
    none.value = "";
    control.append(none);
    for (const choice of o.choices) {
      const option = el("option", null, choice.name);
      option.value = String(choice.value);
      control.append(option);
    }
  } else if (o.type === 5) {
    control = el("select");
    for (const [value, label] of [["", o.required ? "Choose…" : "(none)"], ["true", "True"], ["false", "False"]]) {
      const option = el("option", null, label);
      option.value = value;
      control.append(option);
    }
  } else if ([6, 7, 8, 9].includes(o.type)) {
    const type = { 6: 5, 7: 8, 8: 6, 9: 7 }[o.type];  // option type -> select type
    control = selectControl({ type, placeholder: o.required ? "Choose…" : "(none)" }, false);
  } else if (o.type === 11) {
    control = el("input");
    control.disabled = true;
    control.placeholder = "files cannot be attached in the sandbox page";
  } else {
    control = el("input");
    if (o.type === 4 || o.type === 10) {
      control.type = "number";
      control.step = o.type === 4 ? "1" : "any";
      if (o.min_value !== undefined) control.min = o.min_value;
      if (o.max_value !== undefined) control.max = o.max_value;
    }
    if (o.max_length) control.maxLength = o.max_length;
    if (o.min_length) control.minLength = o.min_length;
  }
  control.name = o.name;
  control.required = Boolean(o.required) && o.type !== 11;
  control.dataset.optionType = o.type;
  return control;
}

function renderCommandOptions() {
  const leaf = S.leaves.find((l) => l.path === $("command-picker").value);
  const box = $("command-options");
  box.replaceChildren();
  $("command-description").textContent = leaf ? leaf.description || "" : "No commands are available to this person here.";
  $("command-run").disabled = !leaf;
  if (!leaf) return;
  for (const o of leaf.options) {
    const field = el("div", "field");
    const control = optionControl(o);
    control.id = "opt-" + o.name;
    const label = el("label", null, o.name);
    label.htmlFor = control.id;
    if (o.required) label.append(el("span", "required", " *"));
    field.append(label, control);
    if (o.description) field.append(el("div", "hint", o.description));
    box.append(field);
  }
}

function openCommandPanel() {
  $("command-panel").hidden = false;
  renderCommandOptions();
  $("command-picker").focus();
}

function closeCommandPanel() {
  $("command-panel").hidden = true;
}

async function runCommand(event) {
  event.preventDefault();
  const form = $("command-form");
  if (!form.reportValidity()) return;
  const options = {};
  for (const control of $("command-options").querySelectorAll("[name]")) {
    if (control.disabled || control.value === "") continue;
    const type = Number(control.dataset.optionType);
    if (type === 4 || type === 10) options[control.name] = Number(control.value);
    else if (type === 5) options[control.name] = control.value === "true";
    else options[control.name] = control.value;
  }
  const run = $("command-run");
  run.disabled = true;
  const result = await act(api("slash", { user: S.viewerId, channel: S.channelId, command: $("command-picker").value, options }));
  run.disabled = false;
  if (!result) return;  // the form keeps what was typed
  closeCommandPanel();
  handleResult(result);
}

// ----- the clock, the demo, the activity log ---------------------------------------------------

function renderClock() {
  const now = new Date(S.world.now);
  $("clock-now").textContent = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
  }).format(now) + " UTC";
  $("clock-local").textContent = `${fmt(now, { weekday: "short", hour: "numeric", minute: "2-digit" })} for ${S.world.people.find((p) => p.id === S.viewerId)?.name || "you"} (${viewerZone()})`;
  const jump = $("jump-at");
  if (document.activeElement !== jump && renderClock.shown !== S.world.now) jump.value = S.world.now.slice(0, 16);
  renderClock.shown = S.world.now;
}

function renderDemo() {
  const demo = S.world.demo;
  const button = $("play-demo");
  button.disabled = !demo.available || demo.state === "running";
  const text = {
    idle: demo.available ? "Runs the program-week demo here, live." : "No demo in this sandbox.",
    running: "The demo is playing… watch the channels and the log.",
    passed: "The demo finished.",
    failed: `The demo finished with problems: ${demo.failures.join("; ")}`,
  }[demo.state] || demo.state;
  $("demo-status").textContent = text;
}

async function advance(body) {
  const buttons = document.querySelectorAll(".clock button");
  buttons.forEach((b) => { b.disabled = true; });
  await act(api(body.to || body.user ? "clock/jump" : "clock/advance", body));
  buttons.forEach((b) => { b.disabled = false; });
  scheduleRefresh();
}

function addActivity(entries) {
  const list = $("activity");
  for (const e of entries) {
    const li = el("li", e.kind === "step" ? "step" : null);
    li.append(el("span", "when", String(e.ts).slice(5, 16).replace("T", " ")));
    if (e.kind === "step") {
      li.append(el("span", null, e.note));
    } else {
      const where = e.kind === "ephemeral" ? `${e.channel} (only them)` : e.channel;
      const text = [e.content, ...(e.embeds || []).map((x) => x.title || "")].filter(Boolean).join(" ").slice(0, 160);
      const verb = e.event === "send" ? "" : `(${e.event}) `;
      li.append(el("span", null, `→ ${where}: ${verb}${text}`));
    }
    list.append(li);
  }
  while (list.children.length > 200) list.firstChild.remove();
  list.scrollTop = list.scrollHeight;
}

// ----- live updates (server-sent events over fetch, so the key stays in a header) --------------------

async function listen() {
  for (;;) {
    try {
      const response = await fetch("/_control/events", { headers: { "X-Sandbox-Key": S.key }, cache: "no-store" });
      if (!response.ok || !response.body) throw new Error("no event stream");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = frame.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (!data) continue;
          const event = JSON.parse(data);
          addActivity(event.transcript || []);
          scheduleRefresh();
        }
      }
    } catch (_) {
      // the sandbox restarted or stopped: try again shortly
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// ----- wiring --------------------------------------------------------------------------------

function wire() {
  $("person-picker").addEventListener("change", async (event) => {
    S.viewerId = event.target.value;
    sessionStorage.setItem("iopbot-sandbox-viewer", S.viewerId);
    closeCommandPanel();
    await refreshAll();
  });
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value.trim();
    if (!text || !S.channelId) return;
    if (text.startsWith("/")) { openCommandPanel(); return; }
    const posted = await act(api("messages", { user: S.viewerId, channel: S.channelId, content: text }));
    if (posted) {
      input.value = "";
      if (posted.automod_blocked) toast("AutoMod blocked this message (it was not posted).");
      scheduleRefresh();
    }
  });
  $("composer-input").addEventListener("input", (event) => {
    if (event.target.value === "/") {
      event.target.value = "";
      openCommandPanel();
    }
  });
  $("command-open").addEventListener("click", openCommandPanel);
  $("command-close").addEventListener("click", () => { closeCommandPanel(); $("composer-input").focus(); });
  $("command-picker").addEventListener("change", renderCommandOptions);
  $("command-form").addEventListener("submit", runCommand);
  $("command-panel").addEventListener("keydown", (event) => {
    if (event.key === "Escape") { closeCommandPanel(); $("composer-input").focus(); }
  });
  $("modal-form").addEventListener("submit", submitModal);
  $("modal-cancel").addEventListener("click", () => { $("modal").close(); S.modal = null; });
  $("modal").addEventListener("close", () => { S.modal = null; });
  for (const button of document.querySelectorAll("[data-advance-hours], [data-advance-days]")) {
    button.addEventListener("click", () => advance(button.dataset.advanceHours
      ? { hours: Number(button.dataset.advanceHours) } : { days: Number(button.dataset.advanceDays) }));
  }
  $("next-client").addEventListener("change", updateNextButton);
  $("next-local").addEventListener("click", () => advance({ user: $("next-client").value, local_time: S.world.checkin_time }));
  $("jump-form").addEventListener("submit", (event) => {
    event.preventDefault();
    advance({ to: $("jump-at").value + ":00+00:00" });
  });
  $("play-demo").addEventListener("click", async () => {
    const started = await act(api("demo/play", {}));
    if (started) toast("The demo is playing.", "info");
    scheduleRefresh();
  });
  $("newcomer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("newcomer-name").value.trim();
    if (!name || !S.world.guild) return;
    const added = await act(api("members", { guild_id: S.world.guild.id, user: name, roles: [] }));
    if (added) {
      $("newcomer-name").value = "";
      S.viewerId = added.user.id;
      await refreshAll();
      toast(`${name} joined the server; you are acting as them now.`, "info");
    }
  });
  $("messages").addEventListener("click", (event) => {
    if (event.target.classList.contains("spoiler")) event.target.classList.toggle("shown");
  });
  document.addEventListener("click", (event) => {
    if (!$("context-menu").contains(event.target) && !event.target.classList.contains("more")) closeMenu();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenu();
  });
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("iopbot-sandbox-key", $("key-input").value.trim());
    location.reload();
  });
}

async function start() {
  wire();
  S.key = readKey();
  if (!S.key) { $("keyless").hidden = false; return; }
  try {
    S.world = await api("page/world");
  } catch (error) {
    if (error.status === 403) { $("keyless").hidden = false; return; }
    toast(error.message);
    return;
  }
  const saved = sessionStorage.getItem("iopbot-sandbox-viewer");
  const ids = S.world.people.map((p) => p.id);
  S.viewerId = ids.includes(saved) ? saved : ids[0];
  await refreshAll();
  const transcript = await act(api("transcript"));
  if (transcript) addActivity(transcript.slice(-60));
  document.body.dataset.ready = "true";
  listen();
}

document.addEventListener("DOMContentLoaded", start);
