// The exercises' answer boxes: the page judges what the reader types, no kernel needed.
//
// ext/book_web/exercises.py puts, under each exercise cell that calls
// check("<key>", ...), a box (a form with a label, an input, a Check button
// and a verdict) and the exercise's data as <script type="application/json">:
// the right answer, the precision, each named mistake's value, all computed
// from the registry when the book is built (backprop.book.page_exercises).
// static/exercises-loader.js shows the boxes and loads this script when a
// reader nears one. judge() below follows backprop.book.exercises.judge_value
// rule for rule (shape, precision, named mistakes, close misses, transposes,
// sign, factors), so the page gives the kernel's verdict and hint;
// tests/test_page_exercises.py runs both on the same answers (under Node.js).
// Answers stay in this browser (localStorage); nothing is sent anywhere.
(function (root) {
  "use strict";

  var SLACK = 1e-9;
  var ROUNDING_RTOL = 1e-6;

  // ---- numbers as NumPy has them ------------------------------------------------

  function pow10(k) {
    // 10.0 ** k, correctly rounded as in Python (JS's 10 ** -4 is not)
    return Number("1e" + k);
  }

  function rint(y) {
    // round half to even (np.rint, Python's round)
    var f = Math.floor(y);
    var d = y - f;
    if (d < 0.5) return f;
    if (d > 0.5) return f + 1;
    return f % 2 === 0 ? f : f + 1;
  }

  function npRound(x, places) {
    // np.round(x, places): scale by a power of ten, rint, scale back
    if (places >= 0) {
      var f = pow10(places);
      return rint(x * f) / f;
    }
    var g = pow10(-places);
    return rint(x / g) * g;
  }

  function size(shape) {
    return shape.reduce(function (a, b) { return a * b; }, 1);
  }

  function squeeze(shape) {
    return shape.filter(function (n) { return n !== 1; });
  }

  function sameShape(a, b) {
    return a.length === b.length && a.every(function (n, i) { return n === b[i]; });
  }

  function shapeText(shape) {
    // Python's repr of a tuple: (), (2,), (2, 1)
    if (shape.length === 1) return "(" + shape[0] + ",)";
    return "(" + shape.join(", ") + ")";
  }

  function within(diff, tol) {
    // |diff| <= tol in every entry, up to floating point (tol: array or number)
    for (var i = 0; i < diff.length; i++) {
      var t = typeof tol === "number" ? tol : tol[i];
      if (!(Math.abs(diff[i]) <= t * (1 + SLACK))) return false;
    }
    return true;
  }

  function sub(a, b, factor) {
    var f = factor === undefined ? 1 : factor;
    return a.map(function (x, i) { return x - f * b[i]; });
  }

  function maxAbs(a) {
    return a.reduce(function (m, x) { return Math.max(m, Math.abs(x)); }, 0);
  }

  function transpose(data, shape) {
    var rows = shape[0], cols = shape[1], out = new Array(data.length);
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
    }
    return out;
  }

  function tolerance(want, decimals, digits) {
    // one unit in the last place the question asks for, entry by entry
    if (decimals !== null) {
      return want.map(function () { return pow10(-decimals); });
    }
    if (digits !== null) {
      return want.map(function (w) {
        if (w === 0) return pow10(-digits);
        var magnitude = Math.floor(Math.log10(Math.max(Math.abs(w), 1e-300)));
        return pow10(magnitude - digits + 1);
      });
    }
    var scale = maxAbs(want);
    return want.map(function (w) {
      return ROUNDING_RTOL * Math.abs(w) + 1e-10 * Math.max(scale, 1.0);
    });
  }

  // ---- Python's str(Fraction(r).limit_denominator(1000)) and f"{r:.3g}" ----------

  function exactRational(x) {
    // x as an exact fraction [numerator, denominator] of BigInts
    var den = 1n;
    var y = x;
    while (!Number.isInteger(y)) {
      y *= 2;
      den *= 2n;
    }
    return [BigInt(y), den];
  }

  function floorDiv(a, b) {
    var q = a / b;
    if ((a % b !== 0n) && ((a < 0n) !== (b < 0n))) q -= 1n;
    return q;
  }

  function limitDenominator(x, maxDen) {
    var exact = exactRational(x);
    var n = exact[0], d = exact[1];
    var den0 = d;
    if (d <= maxDen) return reduce(n, d);
    var p0 = 0n, q0 = 1n, p1 = 1n, q1 = 0n;
    for (;;) {
      var a = floorDiv(n, d);
      var q2 = q0 + a * q1;
      if (q2 > maxDen) break;
      var p2 = p0 + a * p1;
      p0 = p1; q0 = q1; p1 = p2; q1 = q2;
      var rest = n - a * d;
      n = d; d = rest;
    }
    var k = floorDiv(maxDen - q0, q1);
    if (2n * d * (q0 + k * q1) <= den0) return reduce(p1, q1);
    return reduce(p0 + k * p1, q0 + k * q1);
  }

  function gcd(a, b) {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) {
      var t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  function reduce(n, d) {
    var g = gcd(n, d) || 1n;
    return [n / g, d / g];
  }

  function formatG3(x) {
    // f"{x:.3g}": three significant digits, rounded half to even on the exact value
    if (x === 0) return "0";
    var sign = x < 0 ? "-" : "";
    var exact = exactRational(Math.abs(x));
    var e = Math.floor(Math.log10(Math.abs(x)));
    var q;
    for (var tries = 0; tries < 3; tries++) {
      // q = round(|x| * 10^(2 - e)), exactly
      var num = exact[0], den = exact[1];
      var shift = 2 - e;
      if (shift >= 0) num *= 10n ** BigInt(shift);
      else den *= 10n ** BigInt(-shift);
      q = num / den;
      var rest = num - q * den;
      if (2n * rest > den || (2n * rest === den && q % 2n === 1n)) q += 1n;
      if (q >= 1000n) { e += 1; continue; }
      if (q < 100n) { e -= 1; continue; }
      break;
    }
    var digits = q.toString();
    if (e >= -4 && e < 3) {
      var point = e + 1; // digits before the decimal point
      var text;
      if (point <= 0) text = "0." + "0".repeat(-point) + digits;
      else text = digits.slice(0, point) + "." + digits.slice(point);
      if (text.indexOf(".") >= 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
      return sign + text;
    }
    var mantissa = (digits[0] + "." + digits.slice(1)).replace(/0+$/, "").replace(/\.$/, "");
    var exp = Math.abs(e) < 10 ? "0" + Math.abs(e) : String(Math.abs(e));
    return sign + mantissa + "e" + (e < 0 ? "-" : "+") + exp;
  }

  function factorText(ratio) {
    var nice = limitDenominator(ratio, 1000n);
    var value = Number(nice[0]) / Number(nice[1]);
    var exact = nice[0] !== 0n && Math.abs(value - ratio) <= 1e-6 * Math.abs(ratio);
    if (exact && (nice[1] === 1n || nice[0] === 1n || nice[0] === -1n)) {
      return nice[1] === 1n ? nice[0].toString() : nice[0] + "/" + nice[1];
    }
    return formatG3(ratio);
  }

  // ---- the rules of judge_value ---------------------------------------------------

  function median(values) {
    var s = values.slice().sort(function (a, b) { return a - b; });
    var m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  function commonFactor(got, want, tol) {
    var zero = want.map(function (w, i) { return Math.abs(w) <= tol[i]; });
    if (zero.every(Boolean)) return null;
    var ratios = [];
    for (var i = 0; i < got.length; i++) if (!zero[i]) ratios.push(got[i] / want[i]);
    var r = median(ratios);
    if (!isFinite(r) || r === 0) return null;
    function fits(factor) {
      return within(sub(got, want, factor), tol.map(function (t) {
        return t * Math.max(1.0, Math.abs(factor));
      }));
    }
    var candidates = [];
    var n = rint(r);
    if (n !== 0) candidates.push([n, [n - 1, n + 1]]);
    if (Math.abs(r) < 1) {
      var m = rint(1 / r);
      if (Math.abs(m) > 1) candidates.push([1 / m, [1 / (m - 1), 1 / (m + 1)]]);
    }
    for (var c = 0; c < candidates.length; c++) {
      var factor = candidates[c][0];
      if (fits(factor) && !candidates[c][1].some(fits)) return factor === 1 ? null : factor;
    }
    if (ratios.length < 2) return null;
    for (var j = 0; j < got.length; j++) {
      if (zero[j] && !(Math.abs(got[j]) <= tol[j])) return null;
    }
    var close = ratios.every(function (q) { return Math.abs(q - r) <= 1e-3 * Math.abs(r); });
    if (!close || Math.abs(r - 1) < 1e-3) return null;
    return r;
  }

  function namedMistake(got, gotShape, ex, rightTol) {
    var same = sameShape(rightTol.shape, gotShape);
    var floorMax = rightTol.data.reduce(function (a, b) { return Math.max(a, b); }, 0);
    for (var i = 0; i < ex.mistakes.length; i++) {
      var hint = ex.mistakes[i][0], wrong = ex.mistakes[i][1].data;
      if (wrong.length !== got.length) continue;
      var tolWrong = tolerance(wrong, ex.decimals, ex.digits);
      var bound = wrong.map(function (w, j) {
        var floor = same ? rightTol.data[j] : floorMax;
        return Math.max(tolWrong[j], Math.min(floor, 0.01 * Math.abs(w)));
      });
      if (within(sub(got, wrong), bound)) return hint;
    }
    return null;
  }

  function fewerDigits(got, decimals, digits) {
    var coarser;
    if (decimals !== null) {
      coarser = got.map(function (x) { return npRound(x, decimals - 1); });
    } else if (digits !== null) {
      coarser = got.map(function (x) {
        var magnitude = Math.floor(Math.log10(Math.max(Math.abs(x), 1e-300)));
        return npRound(x, digits - 2 - magnitude);
      });
    } else {
      return false;
    }
    return within(sub(got, coarser), got.map(function (x) {
      return 1e-9 * Math.max(Math.abs(x), 1e-12);
    }));
  }

  function precisionText(decimals, digits) {
    if (decimals !== null) return "to " + decimals + " decimals";
    if (digits !== null) return "to " + digits + " significant digits";
    return "exactly";
  }

  function closeNote(got, decimals, digits) {
    var asked = precisionText(decimals, digits);
    if ((decimals === null && digits === null) || fewerDigits(got, decimals, digits)) {
      return "keep more digits (the question asks for it " + asked + ")";
    }
    return "keep more digits in the intermediate steps and round only the result (" +
      asked + ")";
  }

  function compare(answer, ex) {
    // [correct, phrase], as _compare in backprop/book/exercises.py
    var want = ex.want.data, wantShape = ex.want.shape;
    var got = answer.data, gotShape = answer.shape;
    var tol = tolerance(want, ex.decimals, ex.digits);
    var bad = got.filter(function (x) { return !isFinite(x); });
    if (bad.length) {
      var kind = got.some(isNaN) ? "NaN (not a number)" : "infinite";
      return [false, "has " + bad.length + " of " + got.length + " entries that are " + kind +
        ": look for 0/0, inf - inf or an overflow such as np.exp of a large number"];
    }
    if (!sameShape(gotShape, wantShape)) {
      var hint;
      if (got.length === want.length && sameShape(squeeze(gotShape), squeeze(wantShape))) {
        gotShape = wantShape;
      } else if ((hint = namedMistake(got, gotShape, ex, { shape: wantShape, data: tol }))) {
        return [false, "has shape " + shapeText(gotShape) + ", not " + shapeText(wantShape) +
          ": " + hint];
      } else if (gotShape.length === 2 && wantShape.length === 2 &&
                 gotShape[0] === wantShape[1] && gotShape[1] === wantShape[0]) {
        hint = "transposed?";
        if (within(sub(transpose(got, gotShape), want), tol)) {
          hint = "it is the transpose of the right answer";
        }
        return [false, "has shape " + shapeText(gotShape) + " but should have shape " +
          shapeText(wantShape) + ": " + hint];
      } else if (want.length === 1) {
        return [false, "has shape " + shapeText(gotShape) + " but should be a single number"];
      } else {
        return [false, "has shape " + shapeText(gotShape) + " but should have shape " +
          shapeText(wantShape)];
      }
    }
    if (within(sub(got, want), tol)) return [true, "is correct"];
    var named = namedMistake(got, gotShape, ex, { shape: wantShape, data: tol });
    if (named !== null) return [false, "is not right: " + named];
    var near = tol.map(function (t, i) { return Math.max(10 * t, 0.01 * Math.abs(want[i])); });
    if (within(sub(got, want), near)) {
      return [false, "is close: " + closeNote(got, ex.decimals, ex.digits)];
    }
    if (gotShape.length === 2 && gotShape[0] === gotShape[1] && gotShape[0] > 1 &&
        within(sub(transpose(got, gotShape), want), tol)) {
      return [false, "is the transpose of the right answer"];
    }
    var factor = commonFactor(got, want, tol);
    var everywhere = want.length === 1 ? "" : " in every entry";
    if (factor !== null && Math.abs(factor + 1) < 1e-3) {
      return [false, "has the wrong sign" + everywhere];
    }
    if (factor !== null) {
      return [false, "is " + factorText(factor) + " times the right value" + everywhere];
    }
    if (want.length === 1) return [false, "is not right yet"];
    var wrongCount = got.filter(function (x, i) { return Math.abs(x - want[i]) > tol[i]; }).length;
    return [false, "differs from the right value in " + wrongCount + " of " + want.length +
      " entries"];
  }

  // ---- what the reader types --------------------------------------------------------

  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

  function parse(text) {
    // "-0.036, -0.042" (commas, spaces or semicolons), [[1, 2], [3, 4]] or one
    // number -> {shape, data}; null when it is not numbers (or a ragged list)
    var s = String(text).trim().replace(/[\u2212\u2013]/g, "-").replace(/\(/g, "[")
      .replace(/\)/g, "]");
    var tokens = s.replace(/([[\]])/g, " $1 ").split(/[\s,;]+/).filter(Boolean);
    if (tokens.length === 0) return null;
    if (tokens[0] !== "[") {
      if (!tokens.every(function (t) { return NUMBER.test(t); })) return null;
      var data = tokens.map(Number);
      return data.length === 1 ? { shape: [], data: data } : { shape: [data.length], data: data };
    }
    var at = 0;
    function item() {
      // one number or one bracketed list, as {shape, data}
      var token = tokens[at++];
      if (token === undefined || token === "]") return null;
      if (token !== "[") return NUMBER.test(token) ? { shape: [], data: [Number(token)] } : null;
      var parts = [];
      while (tokens[at] !== "]") {
        var part = item();
        if (part === null) return null;
        parts.push(part);
      }
      at++;
      if (parts.length === 0) return null;
      var first = parts[0].shape;
      if (!parts.every(function (p) { return sameShape(p.shape, first); })) return null;
      return {
        shape: [parts.length].concat(first),
        data: [].concat.apply([], parts.map(function (p) { return p.data; })),
      };
    }
    var whole = item();
    return whole !== null && at === tokens.length ? whole : null;
  }

  function judge(ex, text) {
    // {correct, message} for what the reader typed, as judge_value words it
    if (String(text).trim() === "") {
      return { correct: false, message: ex.name + ": not answered yet (type your result)." };
    }
    var answer = parse(text);
    if (answer === null) {
      return { correct: false, message: ex.name + ": type a number, or numbers separated " +
        "by commas (such as -0.036, -0.042)." };
    }
    var verdict = compare(answer, ex);
    return {
      correct: verdict[0],
      phrase: verdict[1],
      message: verdict[0] ? ex.name + ": correct." : ex.name + " " + verdict[1] + ".",
    };
  }

  var api = { judge: judge, parse: parse, factorText: factorText, formatG3: formatG3 };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }
  if (typeof document === "undefined") {
    return;
  }

  // ---- the boxes ----------------------------------------------------------------------

  var STORE = "backprop-book-exercises";

  function stored() {
    try {
      return JSON.parse(root.localStorage.getItem(STORE) || "{}") || {};
    } catch (err) {
      return {};
    }
  }

  function store(all) {
    try {
      if (Object.keys(all).length) root.localStorage.setItem(STORE, JSON.stringify(all));
      else root.localStorage.removeItem(STORE);
    } catch (err) {
      // private mode or storage refused: the box still judges
    }
  }

  function show(box, verdict) {
    var out = box.querySelector(".bp-verdict");
    out.textContent = verdict ? verdict.message : "";
    box.classList.toggle("bp-solved", Boolean(verdict && verdict.correct));
    box.classList.toggle("bp-unsolved", Boolean(verdict && !verdict.correct));
  }

  function refreshClear() {
    var any = Object.keys(stored()).length > 0;
    document.querySelectorAll(".bp-exercise-clear").forEach(function (button) {
      button.hidden = !any;
    });
  }

  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var ex = JSON.parse(box.querySelector("script.bp-exercise-data").textContent);
    var input = box.querySelector("input");
    var saved = stored()[ex.key];
    if (saved) {
      input.value = saved.answer;
      show(box, judge(ex, saved.answer));
    }
    function check() {
      var verdict = judge(ex, input.value);
      show(box, verdict);
      var all = stored();
      if (input.value.trim()) all[ex.key] = { answer: input.value, correct: verdict.correct };
      else delete all[ex.key];
      store(all);
      refreshClear();
    }
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      check();
    });
    if (box.dataset.pending) {
      // Check was pressed before this script came (exercises-loader.js held it)
      delete box.dataset.pending;
      check();
    }
    box.querySelector(".bp-exercise-clear").addEventListener("click", function () {
      store({});
      document.querySelectorAll("form.bp-exercise").forEach(function (other) {
        other.querySelector("input").value = "";
        show(other, null);
      });
      refreshClear();
      var out = box.querySelector(".bp-verdict");
      out.textContent = "Your answers are forgotten on this device.";
      input.focus();
    });
  }

  function setUpAll() {
    document.querySelectorAll("form.bp-exercise").forEach(setUp);
    refreshClear();
  }

  root.bookExercises = api;
  setUpAll();
})(typeof window !== "undefined" ? window : globalThis);
