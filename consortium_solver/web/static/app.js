// consortium-solver's page script: live progress, drag-and-drop upload, moves without a reload.
// Written for this app, no library; every page works without it (plain forms, a refresh).
"use strict";

function csrf() {
  return document.getElementById("main").dataset.csrf;
}

function followProgress(panel) {
  const source = new EventSource(panel.dataset.events);
  const bar = panel.querySelector("progress");
  source.addEventListener("progress", (event) => {
    const data = JSON.parse(event.data);
    if (typeof data.elapsed === "number") {
      panel.querySelector("[data-field=elapsed]").textContent = data.elapsed.toFixed(1);
      if (bar) bar.value = data.elapsed;
    }
    if (data.interim && !panel.dataset.interim) {  // the first groups: show them
      source.close();
      window.location.reload();
      return;
    }
    if (typeof data.best === "number") {
      panel.querySelector("[data-field=best]").textContent = data.best.toLocaleString("en");
    }
    if (typeof data.bound === "number") {
      panel.querySelector("[data-field=bound]").textContent = data.bound.toLocaleString("en");
      panel.querySelector("[data-show=bound]").hidden = false;
    }
  });
  source.addEventListener("done", () => {
    source.close();
    window.location.reload();
  });
}

function enableDrop(form) {
  const input = form.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach((name) => form.addEventListener(name, (event) => {
    event.preventDefault();
    form.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => form.addEventListener(name, () => form.classList.remove("over")));
  form.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      form.requestSubmit();
    }
  });
}

async function adjust(schedule, fields) {
  const body = new FormData();
  Object.entries(fields).forEach(([key, value]) => body.append(key, value));
  body.append("csrf", csrf());
  const response = await fetch(schedule.dataset.adjust, {
    method: "POST",
    body: body,
    headers: { "X-Requested-With": "fetch", "X-CSRF-Token": csrf() },
  });
  const text = await response.text();
  if (!response.ok) {
    window.alert(new DOMParser().parseFromString(text, "text/html").querySelector(".problem")?.textContent || "That change was refused.");
    return;
  }
  schedule.innerHTML = text;
  if (shownRound) showRound(schedule, shownRound);
  schedule.dispatchEvent(new Event("schedule-replaced"));
  const verdict = document.getElementById("verdict");
  verdict.setAttribute("tabindex", "-1");
  verdict.focus();
}

// A round's map is fetched when its details open, and put in the page as SVG (names on hover).
function enableMaps(schedule) {
  schedule.addEventListener("toggle", async (event) => {
    const details = event.target;
    if (!details.open || !details.dataset.map || details.querySelector("svg")) return;
    const response = await fetch(details.dataset.map);
    if (!response.ok) return;
    const svg = new DOMParser().parseFromString(await response.text(), "image/svg+xml").documentElement;
    details.appendChild(document.importNode(svg, true));
  }, true);
}

function enableMoves(schedule) {
  schedule.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList.contains("move") || event.submitter?.hasAttribute("formaction")) return;
    event.preventDefault();
    adjust(schedule, Object.fromEntries(new FormData(form).entries()));
  });
  schedule.addEventListener("dragstart", (event) => {
    const item = event.target.closest("li[data-member]");
    if (!item) return;
    event.dataTransfer.setData("text/plain", JSON.stringify({ member: item.dataset.member, round: item.dataset.round }));
    event.dataTransfer.effectAllowed = "move";
  });
  schedule.addEventListener("dragover", (event) => {
    if (event.target.closest(".card")) event.preventDefault();
  });
  schedule.addEventListener("drop", (event) => {
    const card = event.target.closest(".card");
    if (!card) return;
    event.preventDefault();
    let moved;
    try {
      moved = JSON.parse(event.dataTransfer.getData("text/plain"));
    } catch (error) {
      return;
    }
    if (moved.round !== card.dataset.round) return;  // a move stays within its round
    const onto = event.target.closest("li[data-member]");
    if (onto && onto.dataset.member !== moved.member) {  // dropped on a member: the two swap
      adjust(schedule, { round: moved.round, member: moved.member, other: onto.dataset.member });
    } else {
      adjust(schedule, { round: moved.round, member: moved.member, group: card.dataset.group });
    }
  });
}

// The round selector: one round shown at a time (or all), chosen from the rounds' links; the
// choice outlives the schedule being replaced after a move. Without the script the links jump.
let shownRound = null;

function showRound(schedule, which) {
  const sections = schedule.querySelectorAll("section[id^=round-]");
  if (sections.length < 2) return;
  shownRound = which;
  sections.forEach((section) => { section.hidden = which !== "all" && section.id !== which; });
  schedule.querySelectorAll("nav.rounds a").forEach((link) => {
    const current = link.getAttribute("href") === "#" + which;
    if (current) link.setAttribute("aria-current", "true"); else link.removeAttribute("aria-current");
  });
}

function enableRounds(schedule) {
  schedule.addEventListener("click", (event) => {
    const link = event.target.closest("nav.rounds a");
    if (!link) return;
    event.preventDefault();
    showRound(schedule, link.getAttribute("href").slice(1));
    history.replaceState(null, "", link.getAttribute("href"));
  });
  const fromHash = location.hash.match(/^#(round-\d+|all)$/);
  showRound(schedule, fromHash ? fromHash[1] : "round-1");
}

// The search: where an organisation sits in each round, its entries marked in the page.
function enableFind(schedule) {
  const box = document.getElementById("find");
  if (!box) return;
  const answer = document.getElementById("where");
  const look = () => {
    const q = box.value.trim().toLowerCase();
    const seats = new Map();
    schedule.querySelectorAll("li[data-find]").forEach((item) => {
      const hit = q.length > 1 && item.dataset.find.includes(q);
      item.classList.toggle("found", hit);
      if (!hit) return;
      const card = item.closest(".card");
      const name = item.querySelector("b").textContent;
      if (!seats.has(name)) seats.set(name, []);
      seats.get(name).push(`Round ${card.dataset.round}: ${card.querySelector("h3").dataset.name}`);
    });
    const lines = [...seats].slice(0, 8).map(([name, where]) => `${name} — ${where.join("; ")}`);
    if (seats.size > 8) lines.push(`and ${seats.size - 8} more`);
    answer.textContent = q.length > 1 && !seats.size ? "Nobody of that name." : lines.join("\n");
  };
  box.addEventListener("input", look);
  schedule.addEventListener("schedule-replaced", look);
}

function enableFilter(input) {
  const list = document.getElementById(input.getAttribute("aria-controls"));
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    list.querySelectorAll("label[data-find]").forEach((label) => {
      label.classList.toggle("hidden", !!q && !label.dataset.find.includes(q));
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const filter = document.getElementById("check-filter");
  if (filter) enableFilter(filter);
  const panel = document.getElementById("progress");
  if (panel && window.EventSource) followProgress(panel);
  const upload = document.getElementById("upload");
  if (upload) enableDrop(upload);
  const schedule = document.getElementById("schedule");
  if (schedule) {
    enableMoves(schedule);
    enableMaps(schedule);
    enableRounds(schedule);
    enableFind(schedule);
  }
});
