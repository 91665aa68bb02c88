// Heed's skip logic for the offline client: the same rules as the server's heed/surveys/conditions.py, over the
// same JSON (a condition {question, op, value}, or {all: [...]}, {any: [...]}, {not: rule}). Both are run on
// tests/surveys/condition_cases.json and must agree (tests/surveys/test_conditions.py). No dependencies; loads
// in a page (window.HeedConditions) or in node (module.exports).
(function (root) {
  "use strict";

  var NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

  function isAbsent(value) {
    return value === null || value === undefined;
  }

  // How an answer or a rule's value compares as text (a whole number has no ".0" in either language).
  function asText(value) {
    return String(value);
  }

  // A number or a numeric string as a number; null for anything else (lists, booleans, words, "").
  function asNumber(value) {
    if (typeof value === "number") return isFinite(value) ? value : null;
    if (typeof value === "string" && NUMBER.test(value)) return Number(value);
    return null;
  }

  function conditionHolds(condition, answers) {
    var given = Object.prototype.hasOwnProperty.call(answers, condition.question) ? answers[condition.question] : null;
    var op = condition.op;
    if (op === "answered") return !isAbsent(given);
    if (isAbsent(given)) return false;
    var expected = condition.value;
    if (op === "in" || op === "not_in") {
      var options = (Array.isArray(expected) ? expected : [expected]).map(asText);
      var hit = Array.isArray(given)
        ? given.some(function (v) { return options.indexOf(asText(v)) >= 0; })
        : options.indexOf(asText(given)) >= 0;
      return op === "in" ? hit : !hit;
    }
    if (op === "lte" || op === "gte") {
      var left = asNumber(given), right = asNumber(expected);
      if (left === null || right === null) return false;
      return op === "lte" ? left <= right : left >= right;
    }
    var wanted = asText(expected);
    var equal = Array.isArray(given)
      ? given.some(function (v) { return asText(v) === wanted; })
      : asText(given) === wanted;
    return op === "eq" ? equal : !equal;
  }

  // Whether the rule holds for the answers (question key -> number, string, list of option values; null or
  // absent when unanswered). No rule: true.
  function evaluate(rule, answers) {
    if (!rule) return true;
    if (Array.isArray(rule.all)) return rule.all.every(function (part) { return evaluate(part, answers); });
    if (Array.isArray(rule.any)) return rule.any.some(function (part) { return evaluate(part, answers); });
    if (Object.prototype.hasOwnProperty.call(rule, "not")) return !evaluate(rule.not, answers);
    return conditionHolds(rule, answers);
  }

  // Walk the questions in order: the keys shown, and the key of the shown question whose screen_out_if holds
  // (the interview ends there, screened out) or null.
  function walk(rules, answers) {
    var shown = [], effective = {};
    for (var i = 0; i < rules.questions.length; i++) {
      var question = rules.questions[i];
      if (!evaluate(question.show_if, effective)) continue;
      shown.push(question.key);
      effective[question.key] = Object.prototype.hasOwnProperty.call(answers, question.key)
        ? answers[question.key]
        : null;
      if (question.screen_out_if && evaluate(question.screen_out_if, effective)) {
        return { shown: shown, screenedOutAt: question.key };
      }
    }
    return { shown: shown, screenedOutAt: null };
  }

  // Keys of the questions shown, for the server's client_rules JSON
  // ({format: 1, questions: [{key, show_if, screen_out_if}]}); a hidden question counts as unanswered for the
  // rules after it; a question whose screen_out_if holds is the last one shown.
  function visibleKeys(rules, answers) {
    return walk(rules, answers).shown;
  }

  // Key of the question that screened the respondent out (not eligible), or null.
  function screenedOutAt(rules, answers) {
    return walk(rules, answers).screenedOutAt;
  }

  var api = { evaluate: evaluate, visibleKeys: visibleKeys, screenedOutAt: screenedOutAt, FORMAT: 1 };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.HeedConditions = api;
  }
})(typeof self !== "undefined" ? self : this);
