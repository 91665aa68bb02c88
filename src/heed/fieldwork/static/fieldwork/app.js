// Heed's offline interviewer app (/fieldwork/app/). Interviews live in IndexedDB until the server has stored
// them; the app syncs on open, when the browser comes online, every 30 s and on "Send now" (POST
// /api/fieldwork/sync, one batch of at most 500 at a time). Skip logic is conditions.js, the same rules as the
// server (tests/surveys/condition_cases.json). Every text a person reads is set with textContent (never HTML).
//
// IndexedDB "heed-fieldwork" v1:
//   meta        key -> value: device_id (crypto.randomUUID(), made once), interviewer, last_sync_at,
//               assignments, quotas, reviews (from the last sync), persist_asked, current (draft's client_key)
//   forms       "survey_id:version" -> a form of GET /api/fieldwork/forms (kept while a draft needs it)
//   interviews  client_key -> {status: draft|waiting|closed|refused|sent, payload fields, outcome, ...}
(function () {
  "use strict";

  var CONFIG = JSON.parse(document.getElementById("app-config").textContent);
  var T = CONFIG.text;
  var SYNC_EVERY_MS = 30000;
  var BATCH = 500;
  var UNSENT = { waiting: true, closed: true, refused: true };
  var RESEND = { waiting: true, closed: true };
  var state = { forms: [], interviews: [], meta: {}, syncing: false, syncError: null, loginNeeded: false,
                persisted: null, view: "home", current: null, position: 0, error: null };
  var watchId = null, lastFix = null, openQuestion = null;

  // --- text -----------------------------------------------------------------------------------------------
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }
  function plural(forms, count) {
    var category = "other";
    try { category = new Intl.PluralRules(CONFIG.language).select(count); } catch (e) { /* old browser */ }
    return fill(forms[category] || forms.other, { count: count });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "onclick") node.addEventListener("click", value);
      else if (name === "onchange") node.addEventListener("change", value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // --- IndexedDB ------------------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("heed-fieldwork", 1);
        request.onupgradeneeded = function () {
          var database = request.result;
          database.createObjectStore("meta");
          database.createObjectStore("forms", { keyPath: "key" });
          database.createObjectStore("interviews", { keyPath: "client_key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function run(store, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(store, mode);
        var result = work(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function getAll(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, value, key) {
    return run(store, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
  }
  function putMany(store, values) {
    return run(store, "readwrite", function (s) { values.forEach(function (v) { s.put(v); }); });
  }
  function remove(store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); }
  function setMeta(key, value) { state.meta[key] = value; return put("meta", value, key); }
  function loadMeta() {
    return run("meta", "readonly", function (s) {
      var found = {};
      s.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (cursor) { found[cursor.key] = cursor.value; cursor.continue(); }
      };
      return { get result() { return found; } };
    });
  }

  // --- interviews -----------------------------------------------------------------------------------------
  function payload(record) {
    return { client_key: record.client_key, survey_id: record.survey_id, version: record.version,
             unit_id: record.unit_id, language: record.language, started_at: record.started_at,
             submitted_at: record.submitted_at, complete: record.complete !== false, answers: record.answers,
             location: record.location || null, audit: record.audit || [] };
  }
  function unsent() { return state.interviews.filter(function (r) { return UNSENT[r.status]; }); }
  function formOf(record) {
    return state.forms.filter(function (f) { return f.key === record.survey_id + ":" + record.version; })[0];
  }
  function latestForm(surveyId) {
    return state.forms.filter(function (f) { return f.survey_id === surveyId; })
      .sort(function (a, b) { return b.version - a.version; })[0];
  }
  function saveRecord(record) {
    var index = state.interviews.findIndex(function (r) { return r.client_key === record.client_key; });
    if (index >= 0) state.interviews[index] = record; else state.interviews.push(record);
    return put("interviews", record);
  }

  // --- location and the audit trail (contract 1, ODK layout) ---------------------------------------------
  function startLocation(record) {
    if (!("geolocation" in navigator)) { record.location = { latitude: null, longitude: null, accuracy: null,
                                                            status: "unavailable" }; return; }
    record.location = null;
    watchId = navigator.geolocation.watchPosition(function (position) {
      lastFix = { latitude: position.coords.latitude, longitude: position.coords.longitude,
                  accuracy: position.coords.accuracy };
      if (state.current && (!state.current.location || state.current.location.status !== "ok")) {
        state.current.location = { latitude: lastFix.latitude, longitude: lastFix.longitude,
                                   accuracy: lastFix.accuracy, status: "ok" };
        saveRecord(state.current);
      }
    }, function (error) {
      if (state.current && !state.current.location) {
        state.current.location = { latitude: null, longitude: null, accuracy: null,
                                   status: error.code === 1 ? "denied" : "unavailable" };
        saveRecord(state.current);
      }
    }, { enableHighAccuracy: true, maximumAge: 60000, timeout: 20000 });
  }
  function stopLocation() {
    if (watchId !== null && navigator.geolocation) navigator.geolocation.clearWatch(watchId);
    watchId = null; lastFix = null;
  }
  function asAuditValue(value) {
    if (value === null || value === undefined || value === "") return null;
    return Array.isArray(value) ? value.join(" ") : String(value);
  }
  function audit(record, event, node, extra) {
    var entry = { event: event, node: node ? "/data/" + node : "", start: Date.now(), end: null,
                  latitude: lastFix ? lastFix.latitude : null, longitude: lastFix ? lastFix.longitude : null,
                  accuracy: lastFix ? lastFix.accuracy : null, old_value: null, new_value: null };
    Object.keys(extra || {}).forEach(function (k) { entry[k] = extra[k]; });
    if (record.audit.length < 5000) record.audit.push(entry);
    return entry;
  }
  function closeQuestion(record) {
    if (!openQuestion) return;
    openQuestion.entry.end = Date.now();
    openQuestion.entry.new_value = asAuditValue(record.answers[openQuestion.key]);
    openQuestion = null;
  }

  // --- the form's rules -----------------------------------------------------------------------------------
  function questionsOf(form) { return form.definition.questions; }
  function shownQuestions(form, answers) {
    var keys = window.HeedConditions.visibleKeys(form.rules, answers);
    return questionsOf(form).filter(function (q) { return keys.indexOf(q.key) >= 0; });
  }
  function strings(form, language) { return form.strings[language] || form.strings[form.definition.default_language]; }
  function textOf(texts, language, form) {
    return texts[language] || texts[form.definition.default_language] || texts[Object.keys(texts)[0]] || "";
  }
  var SCALES = { nps: true, csat: true, ces: true, likert: true, rating: true };
  function choices(question, language, form) {
    if (question.options && question.options.length && question.type !== "nps") {
      return question.options.map(function (o) { return { value: o.value, label: textOf(o.labels, language, form) || o.value }; });
    }
    if (SCALES[question.type] && question.min !== null && question.max !== null) {
      var points = [];
      for (var p = Math.ceil(question.min); p <= Math.floor(question.max); p++) points.push({ value: String(p), label: String(p) });
      return points;
    }
    return [];
  }
  function plainNumber(value) { return Number.isInteger(value) ? String(value) : String(value); }
  // The answer to keep for the question, or throws {key, params} (the respondent strings' error keys).
  function cleanAnswer(question, raw) {
    var blank = raw === null || raw === undefined || (typeof raw === "string" && !raw.trim()) ||
                (Array.isArray(raw) && !raw.length);
    if (blank) {
      if (question.required) throw { key: "required", params: {} };
      return null;
    }
    if (SCALES[question.type]) return Number(raw);
    if (question.type === "number") {
      var text = String(raw).trim().replace(/\s/g, "");
      if (/^[-+]?\d+,\d+$/.test(text)) text = text.replace(",", ".");
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) throw { key: "invalid_number", params: {} };
      var number = Number(text);
      if ((question.min !== null && question.min !== undefined && number < question.min) ||
          (question.max !== null && question.max !== undefined && number > question.max)) {
        throw { key: "out_of_range", params: { min: question.min === null ? "…" : plainNumber(question.min),
                                               max: question.max === null ? "…" : plainNumber(question.max) } };
      }
      return number;
    }
    if (question.type === "date") {
      var date = String(raw).trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || isNaN(Date.parse(date + "T00:00:00Z")) ||
          new Date(date + "T00:00:00Z").toISOString().slice(0, 10) !== date) throw { key: "invalid_date", params: {} };
      return date;
    }
    if (question.type === "text") {
      var written = String(raw).trim();
      if (written.length > (question.max_length || 2000)) throw { key: "too_long", params: { max: question.max_length } };
      return written;
    }
    return raw;
  }
  function quotaMatches(quota, record) {
    if (quota.survey_id !== record.survey_id) return false;
    if (quota.unit_id !== null && quota.unit_id !== record.unit_id) return false;
    return Object.keys(quota.conditions || {}).every(function (key) {
      var given = record.answers[key];
      if (given === null || given === undefined) return false;
      var tokens = (Array.isArray(given) ? given : [given]).map(String);
      return quota.conditions[key].some(function (v) { return tokens.indexOf(String(v)) >= 0; });
    });
  }
  function fullQuotas(surveyId, unitId) {
    return (state.meta.quotas || []).filter(function (q) {
      return q.survey_id === surveyId && q.status === "full" && (q.unit_id === null || q.unit_id === unitId);
    });
  }

  // --- sync -----------------------------------------------------------------------------------------------
  function fetchJson(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {}))
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, ok: response.ok, body: body };
        });
      });
  }
  function syncOnce() {
    return fetchJson(CONFIG.urls.session).then(function (session) {
      if (session.status === 401 || session.status === 403) { state.loginNeeded = true; return null; }
      if (!session.ok) throw { status: session.status };
      state.loginNeeded = false;
      setMeta("interviewer", session.body.username);
      // On a shared device, an interview is sent only in the session of the interviewer who took it.
      var mine = function (r) { return !r.interviewer || r.interviewer === session.body.username; };
      var pending = state.interviews.filter(function (r) { return RESEND[r.status] && mine(r); })
        .sort(function (a, b) { return (a.finished_ms || 0) - (b.finished_ms || 0); });
      var batches = [];
      for (var i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH));
      if (!batches.length) batches.push([]);
      var sent = 0;
      return batches.reduce(function (chain, batch, position) {
        return chain.then(function () {
          sent += batch.length;
          var left = unsent().length - batch.length;
          var oldest = unsent().filter(function (r) { return batch.indexOf(r) < 0; })
            .map(function (r) { return r.submitted_at; }).sort()[0] || null;
          var body = { device_id: state.meta.device_id, app_version: CONFIG.app_version,
                       unsent_count: Math.max(left, 0), oldest_unsent_at: oldest, interviews: batch.map(payload),
                       last_batch: position === batches.length - 1 };  // the status comes with the last batch
          return fetchJson(CONFIG.urls.sync, {
            method: "POST", body: JSON.stringify(body),
            headers: { "Content-Type": "application/json", "X-CSRFToken": session.body.csrf_token },
          }).then(function (answer) { return applySync(batch, answer); });
        });
      }, Promise.resolve()).then(refreshForms);
    });
  }
  function applySync(batch, answer) {
    if (answer.status === 401 || answer.status === 403) { state.loginNeeded = true; throw { login: true }; }
    if (!answer.ok) throw { status: answer.status };
    var data = answer.body, changed = [];
    var byKey = {};
    batch.forEach(function (r) { byKey[r.client_key] = r; });
    data.items.forEach(function (item) {
      var record = byKey[item.client_key];
      if (!record) return;
      if (item.status === "created" || item.status === "replayed") {
        record.status = "sent";
        record.response_id = item.response_id;
        record.quota = item.quota;
        record.sent_at = data.synced_at;
        delete record.answers; delete record.audit; delete record.location;  // the server holds them now
      } else if (item.code === "closed") {
        record.status = "closed";
        record.outcome = { code: item.code, detail: item.detail };
      } else {
        record.status = "refused";
        record.outcome = { code: item.code, detail: item.detail, errors: item.errors || null };
      }
      changed.push(record);
    });
    return putMany("interviews", changed).then(function () {
      if (!data.assignments) return setMeta("last_sync_at", data.synced_at);  // more batches follow
      return Promise.all([setMeta("last_sync_at", data.synced_at), setMeta("assignments", data.assignments),
                          setMeta("quotas", data.quotas || []), setMeta("reviews", data.reviews || [])]);
    });
  }
  function refreshForms() {
    return fetchJson(CONFIG.urls.forms).then(function (answer) {
      if (!answer.ok) return;
      var fresh = answer.body.forms.map(function (f) { return Object.assign({ key: f.survey_id + ":" + f.version,
                                                                             brand: answer.body.brand }, f); });
      var keep = {};
      fresh.forEach(function (f) { keep[f.key] = true; });
      state.interviews.forEach(function (r) { if (r.status === "draft") keep[r.survey_id + ":" + r.version] = true; });
      var stale = state.forms.filter(function (f) { return !keep[f.key]; });
      return putMany("forms", fresh).then(function () {
        return Promise.all(stale.map(function (f) { return remove("forms", f.key); }));
      }).then(function () { return getAll("forms"); }).then(function (forms) { state.forms = forms; });
    });
  }
  function sync() {
    if (state.syncing) return Promise.resolve();
    state.syncing = true;
    state.syncError = null;
    renderStatus();
    var work = function () { return syncOnce(); };
    var locked = navigator.locks ? navigator.locks.request("heed-fieldwork-sync", work) : work();
    return locked.then(null, function (error) {
      if (error && error.login) return;
      state.syncError = error && error.status ? fill(T.server_error, { status: error.status }) : T.network_error;
    }).then(function () {
      state.syncing = false;
      // Only the list is redrawn with what the sync brought (a question on screen keeps what is being typed),
      // and only when it changed: a button about to be tapped is not swapped for a copy under the finger.
      renderStatus();
      if (state.view === "home") refreshHome();
    });
  }

  // --- storage safety -------------------------------------------------------------------------------------
  function checkPersistence() {
    if (!navigator.storage || !navigator.storage.persisted) { state.persisted = false; return Promise.resolve(); }
    return navigator.storage.persisted().then(function (persisted) {
      if (persisted) return true;
      if (state.meta.persist_asked) return false;
      return setMeta("persist_asked", new Date().toISOString()).then(function () {
        return navigator.storage.persist ? navigator.storage.persist() : false;
      });
    }).then(function (granted) { state.persisted = !!granted; }, function () { state.persisted = false; });
  }
  function downloadBackup() {
    var interviews = unsent();
    if (!interviews.length) { window.alert(T.backup_empty); return; }
    var now = new Date();
    var backup = { format: "heed-interviews-backup", format_version: 1, device_id: state.meta.device_id,
                   interviewer: state.meta.interviewer || "", created_at: now.toISOString(),
                   interviews: interviews.map(payload) };
    var blob = new Blob([JSON.stringify(backup, null, 1)], { type: "application/json" });
    var link = el("a", { href: URL.createObjectURL(blob),
                         download: "heed-backup-" + state.meta.device_id.slice(0, 8) + "-" +
                                   now.toISOString().slice(0, 19).replace(/[:T]/g, "-") + ".json" });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  // --- the screens ----------------------------------------------------------------------------------------
  var screen = document.getElementById("screen");
  function renderStatus() {
    document.getElementById("unsent").textContent = plural(T.waiting, unsent().length);
    var line = document.getElementById("sync-line");
    line.textContent = "";
    if (state.loginNeeded) {
      line.appendChild(document.createTextNode(T.login_needed + " "));
      line.appendChild(el("a", { href: CONFIG.urls.login, text: T.log_in }));
    } else if (state.syncing) {
      line.textContent = T.sending;
    } else if (state.syncError) {
      line.textContent = navigator.onLine ? fill(T.sync_failed, { reason: state.syncError }) : T.offline;
    } else if (state.meta.last_sync_at) {
      line.textContent = fill(T.last_sync, { time: new Date(state.meta.last_sync_at).toLocaleString(CONFIG.language) });
    } else {
      line.textContent = T.never_synced;
    }
    document.getElementById("send-now").disabled = state.syncing;
    var warnings = document.getElementById("warnings");
    warnings.textContent = "";
    if (state.persisted === false) {
      warnings.appendChild(el("p", { class: "warning", id: "persist-warning", role: "alert", text: T.persist_refused }));
    }
  }
  function render() {
    renderStatus();
    if (state.view === "question" && state.current) return renderQuestion();
    if (state.view === "end" && state.current) return renderEnd();
    if (state.view === "language" && state.pending) return renderLanguage();
    return renderHome();
  }
  function progressText(surveyId, unitId) {
    var rows = (state.meta.assignments || []).filter(function (a) { return a.survey_id === surveyId && a.unit_id === unitId; });
    if (!rows.length) return null;
    var done = rows.reduce(function (s, a) { return s + a.done; }, 0);
    var quantity = rows.reduce(function (s, a) { return s + (a.quantity || 0); }, 0);
    return quantity ? fill(T.progress, { done: done, quantity: quantity }) : fill(T.done_count, { done: done });
  }
  function surveyTitle(form) { return form.title || form.titles[form.definition.default_language]; }
  function renderHome() {
    screen.textContent = "";
    var forms = state.forms.slice().sort(function (a, b) { return a.survey_id - b.survey_id; })
      .filter(function (f, i, all) { return latestForm(f.survey_id) === f && all.indexOf(f) === i; });
    if (!forms.length) screen.appendChild(el("p", { id: "no-forms", text: T.no_forms }));
    forms.forEach(function (form) {
      form.units.forEach(function (unit) {
        var full = fullQuotas(form.survey_id, unit.unit_id);
        var progress = progressText(form.survey_id, unit.unit_id);
        screen.appendChild(el("section", { class: "assignment", "data-survey": form.survey_id, "data-unit": unit.unit_id }, [
          el("h3", { text: surveyTitle(form) }),
          el("p", { class: "muted", text: T.unit + ": " + unit.unit_name }),
          progress ? el("p", { class: "assignment-progress", text: progress }) : null,
        ].concat(full.map(function (q) { return el("p", { class: "full", text: fill(T.quota_full, { name: q.name }) }); }))
         .concat([form.status === "closed"
           ? el("p", { class: "closed", text: T.survey_closed })
           : el("button", { type: "button", class: "start", text: T.start_interview,
                            onclick: function () { chooseLanguage(form, unit); } })])));
      });
    });
    var problems = state.interviews.filter(function (r) { return r.status === "closed" || r.status === "refused"; });
    if (problems.length) {
      screen.appendChild(el("h2", { text: T.problems }));
      problems.forEach(function (record) {
        var form = formOf(record) || latestForm(record.survey_id);
        var reason = record.status === "closed" ? T.survey_closed
          : fill(T.not_accepted, { reason: (record.outcome && record.outcome.detail) || "" });
        screen.appendChild(el("p", { class: "problem", "data-key": record.client_key }, [
          el("strong", { text: (form ? surveyTitle(form) : "#" + record.survey_id) + " · " +
                                new Date(record.submitted_at).toLocaleString(CONFIG.language) }),
          el("br"), document.createTextNode(reason)]));
      });
    }
    var reviewTexts = { has_issues: T.review_has_issues, rejected: T.review_rejected, edited: T.review_edited };
    var reviews = (state.meta.reviews || []).filter(function (r) { return reviewTexts.hasOwnProperty(r.state); });
    if (reviews.length) {
      screen.appendChild(el("h2", { text: T.reviews }));
      reviews.forEach(function (review) {
        screen.appendChild(el("p", { class: "review", "data-key": review.client_key }, [
          el("strong", { "data-state": review.state, text: reviewTexts[review.state] + " · #" + review.response_id }),
          el("br"), document.createTextNode(review.comment || "")]));
      });
    }
    screen.appendChild(el("div", { class: "stack" }, [
      el("button", { type: "button", class: "secondary", id: "backup", text: T.download_backup, onclick: downloadBackup }),
    ]));
    screen.appendChild(el("p", { class: "muted", text: T.location_notice }));
  }
  function refreshHome() {
    var live = screen;
    var scratch = document.createElement(live.tagName);
    screen = scratch;
    try { renderHome(); } finally { screen = live; }
    if (scratch.innerHTML !== live.innerHTML) live.replaceChildren.apply(live, Array.prototype.slice.call(scratch.childNodes));
  }
  function chooseLanguage(form, unit) {
    state.pending = { form: form, unit: unit };
    state.view = "language";
    render();
  }
  function renderLanguage() {
    var form = state.pending.form;
    screen.textContent = "";
    screen.appendChild(el("h1", { class: "qtext", text: T.respondent_language }));
    var full = fullQuotas(form.survey_id, state.pending.unit.unit_id);
    full.forEach(function (q) { screen.appendChild(el("p", { class: "full", text: fill(T.quota_full, { name: q.name }) })); });
    screen.appendChild(el("div", { class: "stack" }, form.definition.languages.map(function (code) {
      return el("button", { type: "button", lang: code, "data-lang": code, text: form.language_names[code] || code,
                            onclick: function () { startInterview(form, state.pending.unit, code); } });
    }).concat([el("button", { type: "button", class: "secondary", text: T.back_to_list,
                              onclick: function () { state.view = "home"; state.pending = null; render(); } })])));
  }
  function startInterview(form, unit, language) {
    var record = { client_key: crypto.randomUUID(), status: "draft", survey_id: form.survey_id, version: form.version,
                   unit_id: unit.unit_id, language: language, started_at: new Date().toISOString(),
                   interviewer: state.meta.interviewer || null,
                   submitted_at: null, complete: true, answers: {}, location: null, audit: [], position: 0 };
    state.current = record;
    state.pending = null;
    audit(record, "form start", "");
    startLocation(record);
    state.view = "question";
    state.error = null;
    setMeta("current", record.client_key);
    saveRecord(record).then(render);
  }
  function readInput(question) {
    if (question.type === "multiple_choice") {
      return Array.prototype.slice.call(screen.querySelectorAll("input[name=answer]:checked")).map(function (i) { return i.value; });
    }
    var checked = screen.querySelector("input[name=answer]:checked");
    if (screen.querySelector("input[type=radio]")) return checked ? checked.value : null;
    var field = screen.querySelector("[name=answer]");
    return field ? field.value : null;
  }
  function renderQuestion() {
    var record = state.current, form = formOf(record);
    var shown = shownQuestions(form, record.answers);
    if (record.position >= shown.length) record.position = shown.length - 1;
    var question = shown[record.position];
    var s = strings(form, record.language);
    if (!openQuestion || openQuestion.key !== question.key) {
      closeQuestion(record);
      openQuestion = { key: question.key, entry: audit(record, "question", question.key,
                                                       { old_value: asAuditValue(record.answers[question.key]) }) };
    }
    document.documentElement.lang = record.language;
    screen.textContent = "";
    screen.appendChild(el("p", { class: "brand", text: form.brand }));
    var progress = fill(s.progress, { current: record.position + 1, total: shown.length });
    screen.appendChild(el("p", { class: "progress-text", id: "progress-text", text: progress }));
    screen.appendChild(el("progress", { max: shown.length, value: record.position + 1 }));
    var current = record.answers[question.key];
    var qid = "q-" + question.key;
    var heading = el("h1", { class: "qtext", id: qid + "-text", text: textOf(question.texts, record.language, form) },
                     question.required ? [] : [document.createTextNode(" "), el("span", { class: "opt", text: "(" + s.optional + ")" })]);
    var body = el("form", { novalidate: true, "data-question": question.key, "aria-labelledby": qid + "-text" }, [heading]);
    if (state.error) body.appendChild(el("p", { class: "error", role: "alert", id: qid + "-error", text: state.error }));
    var options = choices(question, record.language, form);
    if (question.type === "text") {
      var area = el("textarea", { id: qid, name: "answer", rows: 5, maxlength: question.max_length || 2000,
                                  "aria-labelledby": qid + "-text" });
      area.value = current || "";
      body.appendChild(area);
    } else if (question.type === "number" || question.type === "date") {
      var hint = question.type === "date" ? s.hint_date : null;
      if (hint) body.appendChild(el("p", { class: "hint", text: hint }));
      var input = el("input", { id: qid, name: "answer", type: "text", autocomplete: "off",
                                inputmode: question.type === "number" ? "decimal" : null, "aria-labelledby": qid + "-text" });
      input.value = current === null || current === undefined ? "" : String(current);
      body.appendChild(input);
    } else {
      var multiple = question.type === "multiple_choice";
      var chosen = (Array.isArray(current) ? current : current === null || current === undefined ? [] : [current]).map(String);
      body.appendChild(el("div", { class: "options" + (question.type === "nps" ? " scale11" : ""), role: multiple ? "group" : "radiogroup",
                                   "aria-labelledby": qid + "-text" }, options.map(function (option, i) {
        return el("label", { class: "option" }, [
          el("input", { id: qid + "-" + i, type: multiple ? "checkbox" : "radio", name: "answer", value: option.value,
                        checked: chosen.indexOf(option.value) >= 0 }),
          el("span", { text: option.label })]);
      })));
      if (question.type === "nps") {
        body.appendChild(el("p", { class: "anchors" }, [el("span", { text: "0 = " + s.not_likely }),
                                                         el("span", { text: "10 = " + s.extremely_likely })]));
      }
    }
    var last = record.position === shown.length - 1;
    body.appendChild(el("div", { class: "actions" }, [
      el("button", { type: "submit", id: "next", text: last ? s.submit : s.next }),
      record.position > 0 ? el("button", { type: "button", class: "secondary", id: "back", text: s.back, onclick: back }) : null]));
    body.addEventListener("submit", function (event) { event.preventDefault(); next(); });
    if (form.definition.languages.length > 1) {
      var select = el("select", { id: "switch-lang", "aria-label": s.language }, form.definition.languages.map(function (code) {
        return el("option", { value: code, lang: code, selected: code === record.language, text: form.language_names[code] || code });
      }));
      select.addEventListener("change", function () { switchLanguage(select.value); });
      body.appendChild(el("div", { class: "lang-switch" }, [el("label", { for: "switch-lang", text: s.language }), select]));
    }
    body.appendChild(el("button", { type: "button", class: "link", id: "discard", text: T.discard, onclick: discard }));
    screen.appendChild(body);
  }
  function keepInput(record, question) {
    // What is typed is kept as typed while moving around; cleaned when the interviewer moves on.
    var raw = readInput(question);
    record.answers[question.key] = raw;
    return raw;
  }
  function currentQuestion() {
    var record = state.current, shown = shownQuestions(formOf(record), record.answers);
    return shown[Math.min(record.position, shown.length - 1)];
  }
  function next() {
    var record = state.current, form = formOf(record), question = currentQuestion();
    var raw = keepInput(record, question);
    try {
      var value = cleanAnswer(question, raw);
      if (value === null) delete record.answers[question.key]; else record.answers[question.key] = value;
    } catch (problem) {
      var s = strings(form, record.language);
      state.error = fill(s[problem.key] || s.required, problem.params);
      return saveRecord(record).then(render);
    }
    state.error = null;
    var shown = shownQuestions(form, record.answers);
    var at = shown.map(function (q) { return q.key; }).indexOf(question.key);
    if (at + 1 < shown.length) {
      record.position = at + 1;
      return saveRecord(record).then(render);
    }
    return finish(record, form);
  }
  function back() {
    var record = state.current, question = currentQuestion();
    keepInput(record, question);
    if (record.answers[question.key] === "" || (Array.isArray(record.answers[question.key]) && !record.answers[question.key].length)) {
      delete record.answers[question.key];
    }
    state.error = null;
    record.position = Math.max(record.position - 1, 0);
    saveRecord(record).then(render);
  }
  function switchLanguage(language) {
    var record = state.current, question = currentQuestion();
    keepInput(record, question);
    audit(record, "language change", "", { old_value: record.language, new_value: language });
    record.language = language;
    state.error = null;
    saveRecord(record).then(render);
  }
  function discard() {
    if (!window.confirm(T.discard_confirm)) return;
    var record = state.current;
    closeQuestion(record);
    stopLocation();
    state.current = null; state.view = "home";
    remove("interviews", record.client_key).then(function () {
      state.interviews = state.interviews.filter(function (r) { return r !== record; });
      return setMeta("current", null);
    }).then(render);
  }
  function finish(record, form) {
    closeQuestion(record);
    var keys = shownQuestions(form, record.answers).map(function (q) { return q.key; });
    var answers = {};
    keys.forEach(function (key) {  // hidden questions' answers are not sent (the server ignores them too)
      var value = record.answers[key];
      if (value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && !value.length)) answers[key] = value;
    });
    record.answers = answers;
    var endAt = Date.now();
    audit(record, "end screen", "", { start: endAt, end: endAt });
    audit(record, "form finalize", "");
    record.submitted_at = new Date().toISOString();
    record.finished_ms = endAt;
    if (!record.location) record.location = { latitude: null, longitude: null, accuracy: null, status: "unavailable" };
    record.status = "waiting";
    // Ended by a screening question (screen_out_if): not eligible. The server works the outcome out from the
    // same answers (screened_out); the screened-out ending is shown, never the quota-full one (as on the web).
    record.screened_out = window.HeedConditions.screenedOutAt(form.rules, record.answers) !== null;
    record.over_quota = !record.screened_out &&
      (state.meta.quotas || []).some(function (q) { return q.status === "full" && quotaMatches(q, record); });
    stopLocation();
    state.view = "end";
    return saveRecord(record).then(function () { return setMeta("current", null); }).then(function () {
      render();
      if (navigator.onLine) sync();
    });
  }
  function renderEnd() {
    var record = state.current, form = formOf(record) || latestForm(record.survey_id);
    var s = strings(form, record.language);
    screen.textContent = "";
    screen.appendChild(el("p", { class: "brand", text: form.brand }));
    var ending = record.screened_out ? "screened_out" : record.over_quota ? "quota_full" : "thank_you";
    document.documentElement.lang = record.language;
    screen.appendChild(el("h1", { class: "qtext", id: "end-title", "data-ending": ending, lang: record.language,
                                  text: s[ending + "_title"] }));
    screen.appendChild(el("p", { class: "message", id: "end-body", lang: record.language, text: s[ending + "_body"] }));
    var staff = el("div", { class: "stack", lang: CONFIG.language }, [
      el("p", { class: "muted", id: "saved", text: record.screened_out ? T.interview_saved_screened_out
                                                                       : T.interview_saved }),
      el("button", { type: "button", id: "next-interview", text: T.next_interview, onclick: function () {
        var unit = form.units.filter(function (u) { return u.unit_id === record.unit_id; })[0] || form.units[0];
        state.current = null;
        chooseLanguage(latestForm(record.survey_id) || form, unit);
      } }),
      el("button", { type: "button", class: "secondary", id: "home", text: T.back_to_list, onclick: function () {
        state.current = null; state.view = "home"; document.documentElement.lang = CONFIG.language; render();
      } })]);
    screen.appendChild(staff);
  }

  // --- start ----------------------------------------------------------------------------------------------
  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(CONFIG.urls.worker, { scope: CONFIG.urls.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      return caches.open("heed-fieldwork-shell").then(function (cache) { return cache.match(CONFIG.urls.scope); });
    }).then(function (shell) {
      document.documentElement.setAttribute("data-worker", shell ? "ready" : "no-shell");
    }).catch(function () { /* the app works online without it */ });
  }
  function start() {
    return loadMeta().then(function (meta) {
      state.meta = meta;
      if (!meta.device_id) return setMeta("device_id", crypto.randomUUID());
      return undefined;
    }).then(function () {
      return Promise.all([getAll("forms"), getAll("interviews")]);
    }).then(function (found) {
      state.forms = found[0];
      state.interviews = found[1];
      var draft = state.meta.current && state.interviews.filter(function (r) {
        return r.client_key === state.meta.current && r.status === "draft";
      })[0];
      if (draft && formOf(draft)) {
        state.current = draft; state.view = "question"; startLocation(draft);
      }
      return checkPersistence();
    }).then(function () {
      render();
      document.getElementById("send-now").addEventListener("click", function () { sync(); });
      window.addEventListener("online", function () { sync(); });
      window.addEventListener("offline", renderStatus);
      setInterval(sync, SYNC_EVERY_MS);
      document.documentElement.setAttribute("data-app", "ready");
      if (window.performance && performance.mark) performance.mark("heed-app-ready");  // benchmarks/bench_pwa_open.py
      registerWorker();
      return sync();  // on open, with no user action (the Safari fallback: no background sync there)
    });
  }
  window.HeedFieldworkApp = { sync: sync, state: state };
  start();
}());
