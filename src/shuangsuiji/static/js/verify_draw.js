// The draw verifier (shuangsuiji-draw/2, and /1 for older bundles) in the visitor's browser:
// the rule of docs/draw-spec.md, re-derived from the bundle and the population file alone with
// WebCrypto's SHA-256 — no help from the server that published the draw. It mirrors
// core/draw.py's verify() step by step and reports the first discrepancy. The bundle's `spec`
// chooses the rule; a version-1 bundle is verified by the version-1 rule, unchanged.
"use strict";

const DrawVerifier = (() => {
  const SPEC = "shuangsuiji-draw/1"; // commitments and priorities keep its tag in version 2
  const SPEC_V2 = "shuangsuiji-draw/2";
  const SPECS = [SPEC, SPEC_V2];
  const RISK_RULES = ["escalate", "fixed", "none", "other"];
  const CLASSES = ["A", "B", "C", "D"];
  const DICE_FORMAT = "dice:d6x20";
  const SYSTEM_FORMAT = "system";
  const DICE_COUNT = 20;
  const DICE_SEPARATORS = new Set([" ", "\t", "\r", "\n", ",", "，", "、", "\u3000"]);
  const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  const HEX64 = /^[0-9a-f]{64}$/;
  const CEREMONY_KEYS = ["kind", "commitments", "reveals", "public_format", "public_value", "public_source", "public_value_at"];
  const BUNDLE_KEYS_V2 = [
    "spec", "draw_id", "task", "parameters", "population_digest", "population_size", "strata_sizes",
    "exclusions_digest", "frozen_at", "supersedes", "redraw_reason", "tokens_digest", "freeze_digest",
    "exclusions", "ceremony", "seed", "record_digest", "rounds", "substitutions",
  ];
  const PUBLIC_KEYS_V2 = [...BUNDLE_KEYS_V2, "classes"];
  const PUBLIC_STRATUM_KEYS = ["N", "ratio", "k", "earlier", "selected", "reserve", "cutoff", "reserve_cutoff"];
  const PROOF_KEYS = ["spec", "proof", "draw_id", "record_digest", "uscc", "risk_class", "salt"];
  const WITHHELD = "withheld";
  const SALT = /^[0-9a-f]{32}$/;
  const STATUS_LABELS = { selected: "抽中", reserve: "备选", none: "未抽中" };
  const SEP = "\x1f";
  const STRATA = ["A", "B", "C", "D", "U"];
  const RISK_FIRST = ["D", "C", "B", "A", "U"];
  const DEFAULT_FACTORS = { A: "1", B: "1", C: "1.5", D: "2" };
  const SEED_KINDS = ["commit-reveal", "public", "system"];
  const USCC = /^[0-9A-Z]{18}$/;
  const encoder = new TextEncoder();

  class DrawError extends Error {}

  const hex = (buffer) =>
    Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const sha256 = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));
  const sha256Text = (text) => sha256(encoder.encode(text));
  const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  // Sorted keys, no spaces, non-ASCII as is: what Python's json.dumps(sort_keys=True,
  // separators=(",", ":"), ensure_ascii=False) writes.
  function canonicalJson(value) {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    const keys = Object.keys(value).sort(byCodePoint);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }

  // --- exact fractions (ratios are decimal strings) --------------------------------------
  const gcd = (a, b) => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  const frac = (n, d = 1n) => {
    const g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  };
  const mul = (a, b) => frac(a.n * b.n, a.d * b.d);
  const add = (a, b) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
  const cmp = (a, b) => {
    const left = a.n * b.d;
    const right = b.n * a.d;
    return left < right ? -1 : left > right ? 1 : 0;
  };
  const min = (a, b) => (cmp(a, b) <= 0 ? a : b);
  const max = (a, b) => (cmp(a, b) >= 0 ? a : b);
  const floorDiv = (a) => (a.n >= 0n ? a.n / a.d : -((-a.n + a.d - 1n) / a.d));
  const ceilDiv = (a) => -floorDiv({ n: -a.n, d: a.d });
  const ONE = frac(1n);
  const ZERO = frac(0n);

  function fraction(text) {
    const match = /^(\d+)(?:\.(\d+))?$/.exec(String(text));
    if (!match) throw new DrawError(`比例或系数“${text}”应写作非负小数，如 0.3`);
    const decimals = match[2] || "";
    return frac(BigInt(match[1] + decimals), 10n ** BigInt(decimals.length));
  }

  function ratioText(value) {
    let d = value.d;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) { d /= 2n; twos += 1; }
    while (d % 5n === 0n) { d /= 5n; fives += 1; }
    if (d !== 1n) return `${value.n}/${value.d}`;
    const places = Math.max(twos, fives);
    if (!places) return String(value.n);
    const scaled = ((value.n * 10n ** BigInt(places)) / value.d).toString().padStart(places + 1, "0");
    const text = `${scaled.slice(0, -places)}.${scaled.slice(-places)}`;
    return text.replace(/0+$/, "").replace(/\.$/, "");
  }

  // --- parameters and sample sizes --------------------------------------------------------
  function parameters(data) {
    return {
      ratio: data.ratio ?? null,
      count: data.count ?? null,
      risk_rule: data.risk_rule ?? "escalate",
      factors: sortedObject(data.factors && Object.keys(data.factors).length ? data.factors : DEFAULT_FACTORS),
      class_ratios: data.class_ratios && Object.keys(data.class_ratios).length ? sortedObject(data.class_ratios) : null,
      unclassified_as: data.unclassified_as ?? "B",
      rounds: Number(data.rounds ?? 1),
      reserve: data.reserve ?? null,
    };
  }
  const sortedObject = (object) =>
    Object.fromEntries(Object.keys(object).sort(byCodePoint).map((k) => [k, object[k]]));

  function checkParameters(p) {
    if ((p.ratio === null) === (p.count === null) && !p.class_ratios)
      throw new DrawError("需要且只能给出抽查比例（ratio）或抽查户数（count）之一");
    if (p.rounds < 1) throw new DrawError("轮次（rounds）至少为 1");
    if (!["A", "B", "C", "D"].includes(p.unclassified_as))
      throw new DrawError(`未分类主体按“${p.unclassified_as}”处理无效：应为 A/B/C/D`);
    for (const text of [p.ratio, ...Object.values(p.factors), ...Object.values(p.class_ratios || {})])
      if (text !== null) fraction(text);
  }

  // Version 2 writes parameters one way only (core/draw.py Parameters.normalised).
  const classKey = (text) => String(text).replace(/^[ \t]+|[ \t]+$/g, "").toUpperCase();
  const decimal = (text) => ratioText(fraction(String(text).replace(/^[ \t]+|[ \t]+$/g, "")));
  function normalised(p) {
    const factors = Object.fromEntries(CLASSES.map((c) => [c, "1"]));
    for (const [k, v] of Object.entries(p.factors)) factors[classKey(k)] = decimal(v);
    const named = p.class_ratios
      ? sortedObject(Object.fromEntries(Object.entries(p.class_ratios).map(([k, v]) => [classKey(k), decimal(v)])))
      : null;
    return {
      ...p,
      ratio: p.ratio === null ? null : decimal(p.ratio),
      factors: sortedObject(factors),
      class_ratios: named,
      unclassified_as: classKey(p.unclassified_as),
    };
  }

  function checkParametersV2(p) {
    checkParameters(p);
    const named = p.class_ratios || {};
    const namedKeys = Object.keys(named);
    if (p.count !== null && (p.ratio !== null || namedKeys.length))
      throw new DrawError("抽查户数（count）不能与抽查比例（ratio）或分类比例同时给出");
    if (p.ratio === null && p.count === null && !(namedKeys.length === 4 && CLASSES.every((c) => c in named)))
      throw new DrawError("需要给出抽查比例（ratio）或抽查户数（count）；只给分类比例时须给全 A/B/C/D 四类");
    if (p.ratio !== null) {
      const r = fraction(p.ratio);
      if (cmp(r, ZERO) <= 0 || cmp(r, ONE) > 0) throw new DrawError(`抽查比例（ratio）“${p.ratio}”应大于 0 且不超过 1`);
    }
    if (p.count !== null && (!Number.isInteger(p.count) || p.count < 1))
      throw new DrawError(`抽查户数（count）“${p.count}”应为不小于 1 的整数`);
    for (const [klass, text] of Object.entries(named))
      if (!CLASSES.includes(klass) || cmp(fraction(text), ONE) > 0)
        throw new DrawError(`分类比例“${klass}=${text}”无效：类应为 A/B/C/D，比例不超过 1`);
    for (const klass of Object.keys(p.factors))
      if (!CLASSES.includes(klass)) throw new DrawError(`递加系数的类“${klass}”无效：应为 A/B/C/D`);
    if (!RISK_RULES.includes(p.risk_rule))
      throw new DrawError(`风险规则（risk_rule）“${p.risk_rule}”无效：应为 ${RISK_RULES.join("/")}`);
    if (p.reserve !== null && (!Number.isInteger(p.reserve) || p.reserve < 0))
      throw new DrawError(`备选户数（reserve）“${p.reserve}”应为不小于 0 的整数`);
  }

  const classOf = (p, stratum) => (stratum === "U" ? p.unclassified_as : stratum);

  function stratumRatio(p, stratum) {
    const klass = classOf(p, stratum);
    if (p.class_ratios && klass in p.class_ratios) return min(ONE, fraction(p.class_ratios[klass]));
    if (p.ratio === null) return ZERO;
    const floor = fraction(p.ratio);
    if (p.risk_rule !== "escalate") return min(ONE, floor);
    return min(ONE, mul(floor, max(fraction(p.factors[klass] ?? "1"), ONE)));
  }

  function weight(p, stratum) {
    if (p.risk_rule !== "escalate") return ONE;
    return max(fraction(p.factors[classOf(p, stratum)] ?? "1"), ONE);
  }

  function sampleSizes(p, sizes, spec = SPEC) {
    const ks = sampleSizesV1(p, sizes);
    return spec === SPEC_V2 && p.count !== null ? atLeastOneEach(ks, sizes) : ks;
  }

  // Version 2, count mode: while a non-empty stratum has none and another has two or more,
  // the empty-handed stratum of highest risk gets one from the stratum with the most (ties:
  // the lowest risk gives first, U, A, B, C, D).
  function atLeastOneEach(ks, sizes) {
    const result = { ...ks };
    for (;;) {
      const wanting = RISK_FIRST.filter((s) => sizes[s] > 0 && result[s] === 0);
      const givers = [...RISK_FIRST].reverse().filter((s) => result[s] >= 2);
      if (!wanting.length || !givers.length) return result;
      const giver = givers.reduce((best, s) => (result[s] > result[best] ? s : best));
      result[giver] -= 1;
      result[wanting[0]] += 1;
    }
  }

  function sampleSizesV1(p, sizes) {
    const result = {};
    if (p.count === null) {
      for (const s of STRATA) {
        const n = BigInt(sizes[s]);
        const k = ceilDiv(mul(stratumRatio(p, s), frac(n)));
        result[s] = Number(k < n ? k : n);
      }
      return result;
    }
    const totalSize = STRATA.reduce((sum, s) => sum + sizes[s], 0);
    const total = Math.min(p.count, totalSize);
    const weights = Object.fromEntries(STRATA.map((s) => [s, mul(frac(BigInt(sizes[s])), weight(p, s))]));
    const weightSum = STRATA.reduce((sum, s) => add(sum, weights[s]), ZERO);
    if (weightSum.n === 0n) return Object.fromEntries(STRATA.map((s) => [s, 0]));
    const quotas = Object.fromEntries(
      STRATA.map((s) => [s, frac(BigInt(total) * weights[s].n * weightSum.d, weights[s].d * weightSum.n)]),
    );
    for (const s of STRATA) result[s] = Math.min(sizes[s], Number(floorDiv(quotas[s])));
    const remainder = (s) => frac(floorDiv(quotas[s]) * quotas[s].d - quotas[s].n, quotas[s].d);
    const order = [...STRATA].sort(
      (a, b) => cmp(remainder(a), remainder(b)) || RISK_FIRST.indexOf(a) - RISK_FIRST.indexOf(b),
    );
    const sum = () => STRATA.reduce((acc, s) => acc + result[s], 0);
    while (sum() < total)
      for (const s of order) if (sum() < total && result[s] < sizes[s]) result[s] += 1;
    return result;
  }

  // --- the population and the freeze ------------------------------------------------------
  // One CSV line's cells: a cell may be quoted ("…", a doubled quote inside), as Python's csv
  // reads it. Codes and classes are then stripped of spaces and tabs and upper-cased.
  function csvCells(line) {
    const cells = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const char = line[i];
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') { cell += '"'; i += 1; }
        else if (char === '"') quoted = false;
        else cell += char;
      } else if (char === '"' && cell === "") quoted = true;
      else if (char === ",") { cells.push(cell); cell = ""; }
      else cell += char;
    }
    cells.push(cell);
    return cells;
  }
  const stripBlank = (text) => text.replace(/^[ \t]+|[ \t]+$/g, "");

  // The population and, when the file has a `salt` column (version 2's full listing), the salts.
  function readPopulationCsv(text) {
    const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
    const header = csvCells(lines[0]).map(stripBlank);
    const code = header.indexOf("uscc");
    const risk = header.indexOf("risk_class");
    const salt = header.indexOf("salt");
    if (code < 0 || risk < 0) throw new DrawError("名单文件应有表头，且包含 uscc 和 risk_class 两列");
    const population = new Map();
    population.salts = salt < 0 ? null : new Map();
    for (let i = 1; i < lines.length; i += 1) {
      if (!lines[i]) continue;
      const cells = csvCells(lines[i]);
      const uscc = stripBlank(cells[code] || "").toUpperCase();
      const stratum = stripBlank(cells[risk] || "").toUpperCase() || "U";
      if (population.has(uscc)) throw new DrawError(`名单第${i + 1}行：统一社会信用代码“${uscc}”重复`);
      if (!STRATA.includes(stratum)) throw new DrawError(`名单第${i + 1}行：风险分类“${stratum}”无效`);
      population.set(uscc, stratum);
      if (population.salts) population.salts.set(uscc, stripBlank(cells[salt] || ""));
    }
    return population;
  }

  // Version 2: every entity's salt, 32 lower-case hex digits (none at all: every salt empty).
  function checkSalts(population) {
    if (!population.salts) return new Map([...population.keys()].map((c) => [c, ""]));
    for (const [code, salt] of population.salts)
      if (!SALT.test(salt)) throw new DrawError(`“${code}”的盐值（salt）应为32位小写十六进制`);
    return population.salts;
  }

  const token = (round, code, stratum, salt) =>
    sha256Text([SPEC_V2, "token", String(round), code, stratum, salt].join(SEP));

  // Every entity's token of a round, a batch at a time (a million pending digests at once
  // would hold a million promises); [code, stratum] pairs in, tokens out in the same order.
  async function tokensOf(round, entries, salts) {
    const made = new Array(entries.length);
    for (let start = 0; start < entries.length; start += 4096) {
      const part = entries.slice(start, start + 4096);
      const digests = await Promise.all(part.map(([c, s]) => token(round, c, s, salts.get(c))));
      digests.forEach((digest, i) => { made[start + i] = digest; });
    }
    return made;
  }

  // (round, stratum) → that round's tokens of the stratum, sorted, as "round/stratum" keys.
  async function populationTokens(population, salts, rounds) {
    const tokens = new Map();
    for (let r = 1; r <= rounds; r += 1) for (const s of STRATA) tokens.set(`${r}/${s}`, []);
    for (let r = 1; r <= rounds; r += 1) {
      const entries = [...population];
      const made = await tokensOf(r, entries, salts);
      entries.forEach(([, s], i) => tokens.get(`${r}/${s}`).push(made[i]));
    }
    for (const list of tokens.values()) list.sort(byCodePoint);
    return tokens;
  }

  function tokensListing(tokens) {
    const keys = [...tokens.keys()].map((k) => k.split("/")).map(([r, s]) => [Number(r), s]);
    keys.sort((a, b) => a[0] - b[0] || byCodePoint(a[1], b[1]));
    return keys.map(([r, s]) => [...tokens.get(`${r}/${s}`)].sort(byCodePoint).map((t) => `${r},${s},${t}\n`).join("")).join("");
  }

  function readCodesCsv(text) {
    const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
    if (stripBlank(lines[0] || "") !== "uscc") throw new DrawError("公开名单文件的表头应为 uscc");
    return lines.slice(1).map(stripBlank).filter((l) => l).map((l) => l.toUpperCase());
  }

  function readTokensCsv(text) {
    const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
    if ((lines[0] || "").replace(/ /g, "") !== "round,risk_class,token") throw new DrawError("令牌文件的表头应为 round,risk_class,token");
    const tokens = new Map();
    for (let i = 1; i < lines.length; i += 1) {
      const line = lines[i].trim();
      if (!line) continue;
      const parts = line.split(",");
      if (parts.length !== 3 || !/^[0-9]+$/.test(parts[0]) || !STRATA.includes(parts[1])) throw new DrawError(`令牌文件第${i + 1}行格式无效`);
      if (!HEX64.test(parts[2])) throw new DrawError(`令牌文件第${i + 1}行的令牌应为64位小写十六进制`);
      const key = `${Number(parts[0])}/${parts[1]}`;
      if (!tokens.has(key)) tokens.set(key, []);
      tokens.get(key).push(parts[2]);
    }
    return tokens;
  }

  const DRAW_ID = /^[A-Za-z0-9._-]{1,64}$/;

  function checkRedraw(frozenAt, supersedes, reason) {
    if (typeof frozenAt !== "string" || !ISO_UTC.test(frozenAt))
      throw new DrawError(`冻结时间（frozen_at）“${frozenAt}”应写作 UTC 时间，如 2026-03-05T02:30:00Z`);
    if (supersedes === null) {
      if (reason !== "") throw new DrawError("不是重新抽取，却记录了重新抽取原因（redraw_reason）");
      return;
    }
    if (typeof supersedes !== "string" || !DRAW_ID.test(supersedes))
      throw new DrawError(`被更正的抽取编号（supersedes）“${supersedes}”无效`);
    if (typeof reason !== "string" || !reason.trim()) throw new DrawError("重新抽取必须记录原因（redraw_reason）");
  }

  async function freezeRecord(bundle, p, population, spec = SPEC) {
    if (!DRAW_ID.test(bundle.draw_id)) throw new DrawError(`抽取编号“${bundle.draw_id}”无效`);
    if (spec === SPEC_V2) {
      checkParametersV2(p);
      checkRedraw(bundle.frozen_at, bundle.supersedes, bundle.redraw_reason);
    } else checkParameters(p);
    for (const [code, stratum] of population) {
      if (!USCC.test(code)) throw new DrawError(`统一社会信用代码“${code}”格式无效`);
      if (!STRATA.includes(stratum)) throw new DrawError(`“${code}”的分层“${stratum}”无效：应为 A/B/C/D/U`);
    }
    const codes = [...population.keys()].sort(byCodePoint);
    const sizes = Object.fromEntries(STRATA.map((s) => [s, 0]));
    for (const stratum of population.values()) sizes[stratum] += 1;
    if (spec === SPEC_V2) {
      const tokens = await populationTokens(population, checkSalts(population), p.rounds);
      const digests = [await sha256Text(codes.map((c) => `${c}\n`).join("")), await sha256Text(tokensListing(tokens))];
      return freezeFrom(bundle, p, spec, digests, population.size, sizes);
    }
    const listing = codes.map((c) => `${c},${population.get(c)}\n`).join("");
    return freezeFrom(bundle, p, spec, [await sha256Text(listing), null], population.size, sizes);
  }

  // The freeze record from what it states: the full and the public verifier both end here.
  async function freezeFrom(bundle, p, spec, [populationDigest, tokensDigest], size, sizes) {
    const exclusions = [...(bundle.exclusions || [])]
      .map((e) => [e.uscc, e.reason])
      .sort((a, b) => byCodePoint(a[0], b[0]) || byCodePoint(a[1], b[1]));
    const record = {
      spec,
      draw_id: bundle.draw_id,
      task: bundle.task || {},
      parameters: p,
      population_digest: populationDigest,
      population_size: size,
      strata_sizes: sizes,
      exclusions_digest: await sha256Text(exclusions.map(([c, r]) => `${c}${SEP}${r}\n`).join("")),
    };
    if (spec === SPEC_V2)
      Object.assign(record, {
        frozen_at: bundle.frozen_at, supersedes: bundle.supersedes, redraw_reason: bundle.redraw_reason, tokens_digest: tokensDigest,
      });
    record.freeze_digest = await sha256Text(canonicalJson(record));
    return record;
  }

  // --- the seed -------------------------------------------------------------------------
  const commitment = (drawId, party, secret) =>
    sha256Text([SPEC, "commit", drawId, party, secret].join(SEP));

  async function checkCeremony(ceremony, drawId) {
    if (!SEED_KINDS.includes(ceremony.kind)) throw new DrawError(`种子类型“${ceremony.kind}”无效`);
    const list = ceremony.commitments || [];
    const committed = new Map(list.map((c) => [c.party, c.commitment]));
    if (committed.size !== list.length || new Set(committed.values()).size !== list.length)
      throw new DrawError("承诺值重复：每个部门必须提交各自不同的承诺");
    const reveals = new Map();
    for (const { party, secret } of ceremony.reveals || []) {
      if (!committed.has(party)) throw new DrawError(`“${party}”揭示了秘密，但事先没有提交承诺`);
      if ((await commitment(drawId, party, secret)) !== committed.get(party))
        throw new DrawError(`“${party}”揭示的秘密与其承诺不符`);
      reveals.set(party, secret);
    }
    if (ceremony.kind === "commit-reveal" && !reveals.size) throw new DrawError("承诺—揭示仪式没有任何有效揭示");
    if (!String(ceremony.public_value ?? "").trim()) throw new DrawError("缺少公开随机值（如联席会议现场掷骰结果）");
    return reveals;
  }

  // The canonical public value (core/draw.py canonical_public_value), or DrawError.
  function canonicalPublicValue(text, format = DICE_FORMAT) {
    if (format === SYSTEM_FORMAT) {
      const value = String(text).trim();
      if (!HEX64.test(value)) throw new DrawError("系统随机数应为64位小写十六进制");
      return value;
    }
    if (format !== DICE_FORMAT) throw new DrawError(`公开随机值格式“${format}”无效：应为 ${DICE_FORMAT} 或 system`);
    const dice = [];
    let position = 0;
    for (const char of String(text)) {
      position += 1;
      if (DICE_SEPARATORS.has(char)) continue;
      const code = char.codePointAt(0);
      const digit = code >= 0xff10 && code <= 0xff19 ? String(code - 0xff10) : char;
      if (!/^[0-9]$/.test(digit))
        throw new DrawError(`公开随机值第${position}个字符“${char}”无效：只能录入骰子点数 1–6，用空格、逗号或顿号分隔`);
      if (digit < "1" || digit > "6") throw new DrawError(`公开随机值第${dice.length + 1}个骰子“${char}”无效：六面骰的点数为 1–6`);
      dice.push(digit);
    }
    if (dice.length !== DICE_COUNT)
      throw new DrawError(`公开随机值应为${DICE_COUNT}个骰子点数（每个 1–6），录入了${dice.length}个`);
    return dice.join(" ");
  }

  async function checkCeremonyV2(ceremony, drawId, frozenAt) {
    const unknown = Object.keys(ceremony).filter((k) => !CEREMONY_KEYS.includes(k)).sort(byCodePoint);
    const missing = CEREMONY_KEYS.filter((k) => !(k in ceremony));
    if (unknown.length || missing.length)
      throw new DrawError(`仪式记录的字段不符：多出 ${pyList(unknown)}，缺少 ${pyList(missing)}`);
    const reveals = await checkCeremony(ceremony, drawId);
    const { kind, commitments } = ceremony;
    if (kind === "public" && commitments.length)
      throw new DrawError("种子类型为 public，却记录了承诺：有部门承诺时类型应为 commit-reveal");
    if (kind === "commit-reveal" && !commitments.length) throw new DrawError("种子类型为 commit-reveal，却没有任何承诺");
    const wanted = kind === "system" ? SYSTEM_FORMAT : DICE_FORMAT;
    if (ceremony.public_format !== wanted)
      throw new DrawError(`种子类型 ${kind} 的公开值格式应为 ${wanted}，记录为 ${ceremony.public_format}`);
    const value = String(ceremony.public_value);
    const canonical = canonicalPublicValue(value, wanted);
    if (canonical !== value) throw new DrawError(`公开随机值“${value}”不是规范写法：应为 ${canonical}`);
    const at = ceremony.public_value_at;
    if (typeof at !== "string" || !ISO_UTC.test(at) || at < frozenAt)
      throw new DrawError(`公开值录入时间“${at}”无效：应为冻结（${frozenAt}）之后的 UTC 时间`);
    checkStepTimes(ceremony, frozenAt);
    return reveals;
  }

  // Each commitment and reveal with its registration time, in the ceremony's order (draw-spec V4).
  function checkStepTimes(ceremony, frozenAt) {
    const steps = [
      ...ceremony.commitments.map((c) => ["commitment", c]),
      ...ceremony.reveals.map((r) => ["secret", r]),
    ];
    for (const [value, step] of steps) {
      const keys = step && typeof step === "object" ? Object.keys(step).sort() : [];
      if (keys.length !== 3 || !["at", "party", value].every((k) => keys.includes(k)))
        throw new DrawError(`承诺或揭示记录的字段不符：应为 party、${value}、at`);
      if (typeof step.at !== "string" || !ISO_UTC.test(step.at))
        throw new DrawError(`“${step.party}”的登记时间“${step.at}”无效：应为 UTC 时间`);
    }
    const committed = ceremony.commitments.map((c) => c.at);
    const revealed = ceremony.reveals.map((r) => r.at);
    const latest = (times) => times.reduce((a, b) => (b > a ? b : a), "");
    const earliest = (times) => times.reduce((a, b) => (b < a ? b : a));
    if (committed.length && earliest(committed) < frozenAt)
      throw new DrawError(`承诺登记时间早于冻结时间（${frozenAt}）`);
    if (committed.length && revealed.length && earliest(revealed) < latest(committed))
      throw new DrawError("揭示登记时间早于最后一个承诺：揭示应在所有承诺登记之后");
    if (latest([...committed, ...revealed]) > ceremony.public_value_at)
      throw new DrawError("承诺或揭示登记时间晚于公开随机值的录入时间");
  }
  // How Python prints a list of names in these messages: ['a', 'b'], or 无 when empty.
  const pyList = (names) => (names.length ? `[${names.map((n) => `'${n}'`).join(", ")}]` : "无");

  const byParty = (a, b) => byCodePoint(a.party, b.party);
  const seedV2 = (freezeDigest, ceremony) =>
    sha256Text(
      canonicalJson({
        spec: SPEC_V2,
        freeze_digest: freezeDigest,
        kind: ceremony.kind,
        commitments: ceremony.commitments.map((c) => ({ party: c.party, commitment: c.commitment })).sort(byParty),
        reveals: ceremony.reveals.map((r) => ({ party: r.party, secret: r.secret })).sort(byParty),
        public_format: ceremony.public_format,
        public_value: ceremony.public_value,
      }),
    );
  const recordDigest = (freezeDigest, ceremony, seed) =>
    sha256Text(canonicalJson({ spec: SPEC_V2, freeze_digest: freezeDigest, ceremony, seed }));

  function combineSeed(freezeDigest, reveals, publicValue) {
    const parts = [SPEC, "seed", freezeDigest];
    for (const party of [...reveals.keys()].sort(byCodePoint)) parts.push(party, reveals.get(party));
    parts.push("public", publicValue);
    return sha256Text(parts.join(SEP));
  }

  // --- selection --------------------------------------------------------------------------
  async function ranked(seed, drawId, round, codes, count, progress, spec = SPEC) {
    const prefix = encoder.encode([spec, "priority", seed, drawId, String(round), ""].join(SEP));
    const keys = new Array(codes.length);
    const batch = 4096;
    for (let start = 0; start < codes.length; start += batch) {
      const part = codes.slice(start, start + batch);
      const digests = await Promise.all(
        part.map((code) => {
          const bytes = new Uint8Array(prefix.length + code.length);
          bytes.set(prefix);
          bytes.set(encoder.encode(code), prefix.length);
          return crypto.subtle.digest("SHA-256", bytes);
        }),
      );
      digests.forEach((digest, i) => { keys[start + i] = [hex(digest), part[i]]; });
      progress(part.length);
    }
    keys.sort((a, b) => byCodePoint(a[0], b[0]) || byCodePoint(a[1], b[1]));
    return keys.slice(0, Math.max(count, 0)).map((key) => key[1]);
  }

  const priorityV2 = (seed, drawId, round, entityToken) =>
    sha256Text([SPEC_V2, "priority", seed, drawId, String(round), entityToken].join(SEP));
  const ratioShown = (p, stratum) => (p.count !== null ? null : ratioText(stratumRatio(p, stratum)));

  // One stratum in one round of version 2, by tokens (docs/draw-spec.md V7, V11).
  async function stratumRound(seed, drawId, number, fresh, earlier, k, p, progress) {
    const reserveSize = p.reserve === null ? k : p.reserve;
    const wanted = k + reserveSize;
    let order = await ranked(seed, drawId, number, fresh, wanted, progress, SPEC_V2);
    const takenFresh = order.length;
    if (takenFresh < wanted) order = order.concat(await ranked(seed, drawId, number, earlier, wanted - takenFresh, progress, SPEC_V2));
    const key = async (place) => `${place < takenFresh ? "0" : "1"}:${await priorityV2(seed, drawId, number, order[place])}`;
    return {
      selected: order.slice(0, k),
      reserve: order.slice(k, wanted),
      cutoff: k ? await key(k - 1) : null,
      reserve_cutoff: order.length > k ? await key(order.length - 1) : null,
    };
  }

  // Version 2's rounds: with codes per stratum (the full record) and as the public sees them.
  async function drawRoundsV2(freeze, seed, population, salts, progress) {
    const p = freeze.parameters;
    const byStratum = Object.fromEntries(STRATA.map((s) => [s, []]));
    for (const [code, stratum] of population) byStratum[stratum].push(code);
    const sizes = Object.fromEntries(STRATA.map((s) => [s, byStratum[s].length]));
    const ks = sampleSizes(p, sizes, SPEC_V2);
    const drawnBefore = new Set();
    const rounds = [];
    for (let number = 1; number <= p.rounds; number += 1) {
      const strata = {};
      const picked = [];
      for (const stratum of STRATA) {
        const codes = byStratum[stratum];
        const made = await tokensOf(number, codes.map((c) => [c, stratum]), salts);
        const named = new Map(made.map((t, i) => [t, codes[i]]));
        const fresh = made.filter((t) => !drawnBefore.has(named.get(t)));
        const earlier = made.filter((t) => drawnBefore.has(named.get(t))).sort(byCodePoint);
        const step = await stratumRound(seed, freeze.draw_id, number, fresh, earlier, ks[stratum], p, progress);
        const selected = step.selected.map((t) => named.get(t));
        strata[stratum] = {
          N: sizes[stratum], ratio: ratioShown(p, stratum), k: ks[stratum], selected, reserve: step.reserve.map((t) => named.get(t)),
        };
        picked.push(...selected);
      }
      picked.forEach((c) => drawnBefore.add(c));
      rounds.push({ round: number, strata });
    }
    return rounds;
  }

  async function drawRounds(freeze, seed, population, progress) {
    const p = freeze.parameters;
    const byStratum = Object.fromEntries(STRATA.map((s) => [s, []]));
    for (const [code, stratum] of population) byStratum[stratum].push(code);
    const sizes = Object.fromEntries(STRATA.map((s) => [s, byStratum[s].length]));
    const ks = sampleSizes(p, sizes, freeze.spec);
    const drawnBefore = new Set();
    const rounds = [];
    for (let number = 1; number <= p.rounds; number += 1) {
      const strata = {};
      for (const stratum of STRATA) {
        const codes = byStratum[stratum];
        const k = ks[stratum];
        const reserveSize = p.reserve === null ? k : p.reserve;
        const earlier = number > 1 ? codes.filter((c) => drawnBefore.has(c)).length : 0;
        const order = await ranked(seed, freeze.draw_id, number, codes, k + reserveSize + earlier, progress);
        let fresh = earlier ? order.filter((c) => !drawnBefore.has(c)) : order;
        // exhausted: top up the selection from earlier rounds, in this round's order
        if (fresh.length < k) fresh = fresh.concat(order.filter((c) => drawnBefore.has(c)));
        strata[stratum] = {
          N: sizes[stratum],
          ratio: ratioText(stratumRatio(p, stratum)),
          k,
          selected: fresh.slice(0, k),
          reserve: fresh.slice(k, k + reserveSize),
        };
        fresh.slice(0, k).forEach((c) => drawnBefore.add(c));
      }
      rounds.push({ round: number, strata });
    }
    return rounds;
  }

  // --- comparison -------------------------------------------------------------------------
  const same = (a, b) => canonicalJson(a) === canonicalJson(b);
  const shown = (v) => (v !== null && typeof v === "object" ? canonicalJson(v) : String(v));

  // The recorded digests and sizes against those recomputed from the population.
  function compareFreeze(bundle, freeze) {
    const keys = ["population_digest", "population_size", "strata_sizes", "exclusions_digest"];
    if ("tokens_digest" in freeze) keys.push("tokens_digest");
    for (const key of keys)
      if (!same(bundle[key] ?? null, freeze[key]))
        return [`${key} 不符：记录为 ${shown(bundle[key])}，按名单重算为 ${shown(freeze[key])}`];
    if (bundle.freeze_digest !== freeze.freeze_digest)
      return [`freeze_digest 不符：记录为 ${bundle.freeze_digest}，重算为 ${freeze.freeze_digest}（冻结后参数或名单被改动）`];
    return [];
  }

  function compareRounds(recorded, expected) {
    if (recorded.length !== expected.length) return [`轮次数不符：记录 ${recorded.length} 轮，应为 ${expected.length} 轮`];
    for (let r = 0; r < expected.length; r += 1) {
      const number = expected[r].round;
      for (const stratum of STRATA) {
        const got = (recorded[r].strata || {})[stratum] || {};
        const want = expected[r].strata[stratum];
        for (const key of ["N", "ratio", "k"])
          if (!same(got[key] ?? null, want[key]))
            return [`第${number}轮 ${stratum} 层 ${key} 不符：记录 ${got[key]}，应为 ${want[key]}`];
        for (const [key, label] of [["selected", "抽中"], ["reserve", "备选"]]) {
          const gotList = got[key] || [];
          const wantList = want[key];
          for (let i = 0; i < Math.min(gotList.length, wantList.length); i += 1)
            if (gotList[i] !== wantList[i])
              return [`第${number}轮 ${stratum} 层${label}名单第${i + 1}位不符：记录 ${gotList[i]}，应为 ${wantList[i]}`];
          if (gotList.length !== wantList.length)
            return [`第${number}轮 ${stratum} 层${label}名单长度不符：记录 ${gotList.length}，应为 ${wantList.length}`];
        }
      }
    }
    return [];
  }

  // Version 2 (`v2`): the round is required, the replaced entity is one on the current list (a
  // substitute may itself be substituted) and no entity is replaced twice.
  function checkSubstitutions(substitutions, rounds, v2 = false) {
    const used = new Map();
    const current = new Map();
    const replacedIn = new Map();
    for (let i = 0; i < substitutions.length; i += 1) {
      const sub = substitutions[i];
      const number = i + 1;
      const round = rounds.find((r) => r.round === (v2 ? sub.round : sub.round ?? 1));
      if (!round || !(sub.stratum in round.strata)) return [`第${number}次替换的轮次或分层无效`];
      const data = round.strata[sub.stratum];
      const key = `${round.round}/${sub.stratum}`;
      if (!current.has(key)) current.set(key, [...data.selected]);
      const listed = current.get(key);
      const code = sub.replaced;
      if (v2 && replacedIn.has(`${key}/${code}`))
        return [`第${number}次替换：${code} 已在第${replacedIn.get(`${key}/${code}`)}次替换中被替换，同一主体只能被替换一次`];
      if (!(v2 ? listed : data.selected).includes(code)) return [`第${number}次替换：被替换的 ${code} 不在抽中名单中`];
      const slot = used.get(key) || 0;
      if (slot >= data.reserve.length || data.reserve[slot] !== sub.replacement) {
        const want = slot < data.reserve.length ? data.reserve[slot] : "（备选已用完）";
        return [`第${number}次替换应使用备选名单中的下一位 ${want}，记录为 ${sub.replacement}`];
      }
      if (!String(sub.reason ?? "").trim()) return [`第${number}次替换没有记录原因`];
      used.set(key, slot + 1);
      if (listed.includes(code)) listed[listed.indexOf(code)] = sub.replacement;
      replacedIn.set(`${key}/${code}`, number);
    }
    return [];
  }

  async function verifyV2(bundle, populationCsv, progress) {
    const unknown = Object.keys(bundle).filter((k) => !BUNDLE_KEYS_V2.includes(k)).sort(byCodePoint);
    const missing = BUNDLE_KEYS_V2.filter((k) => !(k in bundle));
    if (unknown.length || missing.length) return [`记录的字段不符：多出 ${pyList(unknown)}，缺少 ${pyList(missing)}`];
    let population;
    let freeze;
    try {
      population = readPopulationCsv(populationCsv);
      const p = parameters(bundle.parameters || {});
      const canonical = normalised(p);
      if (canonicalJson(canonical) !== canonicalJson(bundle.parameters))
        return [`parameters 不是规范写法：应为 ${canonicalJson(canonical)}`];
      freeze = await freezeRecord(bundle, canonical, population, SPEC_V2);
    } catch (error) {
      if (error instanceof DrawError) return [`冻结记录无法重算：${error.message}`];
      throw error;
    }
    const freezeProblems = compareFreeze(bundle, freeze);
    if (freezeProblems.length) return freezeProblems;
    const seedProblems = await checkSeedV2(bundle, freeze);
    if (seedProblems.length) return seedProblems;
    const total = population.size * freeze.parameters.rounds * 2;
    let done = 0;
    const tick = (n) => { done += n; progress(done, total); };
    const expected = await drawRoundsV2(freeze, bundle.seed, population, checkSalts(population), tick);
    const problems = compareRounds(bundle.rounds, expected);
    return problems.length ? problems : checkSubstitutions(bundle.substitutions, expected, true);
  }

  // Version 2's ceremony, seed and record digest, the same for the full and the public record.
  async function checkSeedV2(bundle, freeze) {
    const ceremony = bundle.ceremony;
    try {
      await checkCeremonyV2(ceremony, bundle.draw_id, freeze.frozen_at);
    } catch (error) {
      if (error instanceof DrawError || error instanceof TypeError) return [`种子仪式无效：${error.message}`];
      throw error;
    }
    const seed = await seedV2(freeze.freeze_digest, ceremony);
    if (bundle.seed !== seed) return [`种子不符：记录为 ${bundle.seed}，由冻结摘要和仪式记录重算为 ${seed}`];
    const digest = await recordDigest(freeze.freeze_digest, ceremony, seed);
    if (bundle.record_digest !== digest)
      return [`record_digest 不符：记录为 ${bundle.record_digest}，重算为 ${digest}（仪式记录被改动）`];
    return [];
  }

  const sortedUnique = (list) => Array.isArray(list) && list.every((v, i) => i === 0 || byCodePoint(list[i - 1], v) < 0);

  // The aggregate from the public record, the codes and the tokens (audience c; V11).
  async function verifyPublic(bundle, codesCsv, tokensCsv, progress = () => {}) {
    if (bundle.spec !== SPEC_V2 || bundle.classes !== WITHHELD) return [`不是不含风险分类的公开记录（${SPEC_V2}，classes = ${WITHHELD}）`];
    const unknown = Object.keys(bundle).filter((k) => !PUBLIC_KEYS_V2.includes(k)).sort(byCodePoint);
    const missing = PUBLIC_KEYS_V2.filter((k) => !(k in bundle));
    if (unknown.length || missing.length) return [`记录的字段不符：多出 ${pyList(unknown)}，缺少 ${pyList(missing)}`];
    let freeze;
    let codes;
    let tokens;
    let p;
    const sizes = Object.fromEntries(STRATA.map((s) => [s, 0]));
    try {
      codes = readCodesCsv(codesCsv);
      tokens = readTokensCsv(tokensCsv);
      p = normalised(parameters(bundle.parameters || {}));
      if (canonicalJson(p) !== canonicalJson(bundle.parameters)) return [`parameters 不是规范写法：应为 ${canonicalJson(p)}`];
      if (!DRAW_ID.test(bundle.draw_id)) throw new DrawError(`抽取编号“${bundle.draw_id}”无效`);
      checkParametersV2(p);
      checkRedraw(bundle.frozen_at, bundle.supersedes, bundle.redraw_reason);
      if (new Set(codes).size !== codes.length || !codes.every((c) => USCC.test(c)))
        throw new DrawError("名单中的统一社会信用代码应各不相同且格式有效");
      for (const s of STRATA) sizes[s] = (tokens.get(`1/${s}`) || []).length;
      const listing = [...codes].sort(byCodePoint).map((c) => `${c}\n`).join("");
      freeze = await freezeFrom(bundle, p, SPEC_V2, [await sha256Text(listing), await sha256Text(tokensListing(tokens))], codes.length, sizes);
    } catch (error) {
      if (error instanceof DrawError) return [`冻结记录无法重算：${error.message}`];
      throw error;
    }
    const problems = compareFreeze(bundle, freeze);
    if (problems.length) return problems;
    const seedProblems = await checkSeedV2(bundle, freeze);
    if (seedProblems.length) return seedProblems;
    const listed = (r, s) => tokens.get(`${r}/${s}`) || [];
    let total = 0;
    for (let r = 1; r <= p.rounds; r += 1) for (const s of STRATA) {
      if (listed(r, s).length !== sizes[s]) return ["令牌名单与名单户数不符：每一轮每户应恰有一个令牌"];
      total += sizes[s];
    }
    if (total !== codes.length * p.rounds) return ["令牌名单与名单户数不符：每一轮每户应恰有一个令牌"];
    const rounds = bundle.rounds;
    if (!Array.isArray(rounds) || rounds.length !== p.rounds) return [`轮次数不符：记录 ${rounds?.length} 轮，应为 ${p.rounds} 轮`];
    const ks = sampleSizes(p, sizes, SPEC_V2);
    const known = new Set(codes);
    const taken = Object.fromEntries(STRATA.map((s) => [s, 0]));
    let done = 0;
    const tick = (n) => { done += n; progress(done, total); };
    for (let number = 1; number <= rounds.length; number += 1) {
      const got = rounds[number - 1];
      if (got.round !== number || !same(Object.keys(got).sort(), ["reserve", "round", "selected", "strata"])) return [`第${number}轮的字段不符`];
      if (!same(Object.keys(got.strata).sort(), STRATA)) return [`第${number}轮应列出全部五层 A B C D U`];
      let reserveCount = 0;
      for (const stratum of STRATA) {
        const g = got.strata[stratum];
        const where = `第${number}轮 ${stratum} 层`;
        if (!g || !same(Object.keys(g).sort(), [...PUBLIC_STRATUM_KEYS].sort())) return [`${where}的字段不符`];
        const pool = new Set(listed(number, stratum));
        if (!sortedUnique(g.earlier) || !g.earlier.every((t) => pool.has(t)))
          return [`${where}往轮已抽中的令牌（earlier）应为本轮令牌，排序且不重复`];
        if (g.earlier.length !== taken[stratum]) return [`${where}往轮已抽中 ${g.earlier.length} 户，按前几轮应为 ${taken[stratum]} 户`];
        const earlier = new Set(g.earlier);
        const fresh = listed(number, stratum).filter((t) => !earlier.has(t));
        const step = await stratumRound(bundle.seed, bundle.draw_id, number, fresh, g.earlier, ks[stratum], p, tick);
        const want = { N: sizes[stratum], ratio: ratioShown(p, stratum), k: ks[stratum], ...step };
        for (const [key, value] of Object.entries(want))
          if (!same(g[key] ?? null, value)) return [`${where} ${key} 不符：记录 ${shown(g[key])}，按令牌重算为 ${shown(value)}`];
        taken[stratum] += Math.min(ks[stratum], sizes[stratum] - taken[stratum]);
        reserveCount += step.reserve.length;
      }
      const wantedCounts = { selected: STRATA.reduce((a, s) => a + ks[s], 0), reserve: reserveCount };
      for (const [key, label] of [["selected", "抽中"], ["reserve", "备选"]]) {
        const list = got[key];
        if (!sortedUnique(list) || !list.every((c) => known.has(c))) return [`第${number}轮${label}名单应为名单中的代码，排序且不重复`];
        if (list.length !== wantedCounts[key]) return [`第${number}轮${label}名单有 ${list.length} 户，按各层应为 ${wantedCounts[key]} 户`];
      }
      if (got.selected.some((c) => got.reserve.includes(c))) return [`第${number}轮有主体同时在抽中和备选名单中`];
    }
    return checkPublicSubstitutions(bundle.substitutions, rounds);
  }

  function checkPublicSubstitutions(substitutions, rounds) {
    const current = new Map(rounds.map((r) => [r.round, [...r.selected]]));
    const used = new Set();
    const replaced = new Set();
    for (let i = 0; i < substitutions.length; i += 1) {
      const sub = substitutions[i];
      const number = i + 1;
      if (!current.has(sub.round) || "stratum" in sub) return [`第${number}次替换的轮次无效，或公开记录写出了分层`];
      if (replaced.has(`${sub.round}/${sub.replaced}`)) return [`第${number}次替换：${sub.replaced} 已被替换过，同一主体只能被替换一次`];
      const listed = current.get(sub.round);
      if (!listed.includes(sub.replaced)) return [`第${number}次替换：被替换的 ${sub.replaced} 不在抽中名单中`];
      const reserve = rounds.find((r) => r.round === sub.round).reserve;
      if (!reserve.includes(sub.replacement) || used.has(`${sub.round}/${sub.replacement}`))
        return [`第${number}次替换：${sub.replacement} 不是第${sub.round}轮尚未用过的备选`];
      if (!String(sub.reason ?? "").trim()) return [`第${number}次替换没有记录原因`];
      listed[listed.indexOf(sub.replaced)] = sub.replacement;
      used.add(`${sub.round}/${sub.replacement}`);
      replaced.add(`${sub.round}/${sub.replaced}`);
    }
    return [];
  }

  // One company's own case (audience b; V11): the public record, then the company's token,
  // rank key and status in every round. Returns { problems, findings }.
  async function verifyCompany(bundle, codesCsv, tokensCsv, proof, progress = () => {}) {
    const problems = await verifyPublic(bundle, codesCsv, tokensCsv, progress);
    if (problems.length) return { problems, findings: [] };
    const fail = (message) => ({ problems: [message], findings: [] });
    if (!proof || typeof proof !== "object" || !same(Object.keys(proof).sort(), [...PROOF_KEYS].sort()))
      return fail(`核验凭证的字段应为 ${PROOF_KEYS.join(", ")}`);
    if (proof.spec !== SPEC_V2 || proof.proof !== "company") return fail("不是本规范的企业核验凭证");
    if (proof.draw_id !== bundle.draw_id || proof.record_digest !== bundle.record_digest)
      return fail("核验凭证不属于这次抽取（抽取编号或记录摘要不符）");
    const { uscc: code, risk_class: klass, salt } = proof;
    if (!readCodesCsv(codesCsv).includes(code)) return fail(`${code} 不在冻结的名单中`);
    if (!STRATA.includes(klass) || typeof salt !== "string" || !(salt === "" || SALT.test(salt)))
      return fail("核验凭证的风险分类或核验码格式无效");
    const tokens = readTokensCsv(tokensCsv);
    const findings = [];
    let selectedBefore = false;
    for (const got of bundle.rounds) {
      const number = got.round;
      const data = got.strata[klass];
      const mine = await token(number, code, klass, salt);
      if (!(tokens.get(`${number}/${klass}`) || []).includes(mine))
        return fail(`第${number}轮 ${klass} 层的令牌中没有本企业的令牌（分类或核验码不符，或名单被改动）`);
      if (data.earlier.includes(mine) !== selectedBefore) return fail(`第${number}轮：本企业是否在往轮抽中，公开记录标注有误`);
      const key = `${selectedBefore ? 1 : 0}:${await priorityV2(bundle.seed, bundle.draw_id, number, mine)}`;
      let status = "none";
      if (data.cutoff !== null && key <= data.cutoff) status = "selected";
      else if (data.reserve_cutoff !== null && key <= data.reserve_cutoff) status = "reserve";
      for (const [list, wanted, label, item] of [
        [data.selected, status === "selected", "本层抽中令牌", mine],
        [data.reserve, status === "reserve", "本层备选令牌", mine],
        [got.selected, status === "selected", "本轮抽中名单", code],
        [got.reserve, status === "reserve", "本轮备选名单", code],
      ]) {
        const present = list.includes(item);
        if (present !== wanted)
          return fail(`第${number}轮：按截止值本企业应为“${STATUS_LABELS[status]}”，${label}却${present ? "列出" : "没有列出"}本企业`);
      }
      findings.push({ round: number, risk_class: klass, key, cutoff: data.cutoff, reserve_cutoff: data.reserve_cutoff, status });
      selectedBefore = selectedBefore || status === "selected";
    }
    return { problems: [], findings };
  }

  // A company that has its code and 核验码 (its salt) but no proof file: its class is the one
  // whose round-1 token is listed (there is exactly one, or none when code or salt is wrong).
  async function proofFromSalt(bundle, tokensCsv, code, salt) {
    const tokens = readTokensCsv(tokensCsv);
    for (const klass of STRATA) {
      const mine = await token(1, code, klass, salt);
      if ((tokens.get(`1/${klass}`) || []).includes(mine))
        return { spec: SPEC_V2, proof: "company", draw_id: bundle.draw_id, record_digest: bundle.record_digest, uscc: code, risk_class: klass, salt };
    }
    return null;
  }

  // The discrepancies, first one first; an empty list is a PASS. `progress(done, total)` is
  // told how many priorities have been hashed.
  async function verify(bundle, populationCsv, progress = () => {}, tokensCsv = null) {
    if (bundle.classes === WITHHELD) return verifyPublic(bundle, populationCsv, tokensCsv ?? "", progress);
    if (bundle.spec === SPEC_V2) return verifyV2(bundle, populationCsv, progress);
    if (bundle.spec !== SPEC) return [`规范版本“${bundle.spec}”不是 ${SPECS.join(" 或 ")}`];
    let population;
    let freeze;
    try {
      population = readPopulationCsv(populationCsv);
      freeze = await freezeRecord(bundle, parameters(bundle.parameters || {}), population);
    } catch (error) {
      if (error instanceof DrawError) return [`冻结记录无法重算：${error.message}`];
      throw error;
    }
    const freezeProblems = compareFreeze(bundle, freeze);
    if (freezeProblems.length) return freezeProblems;
    let reveals;
    try {
      reveals = await checkCeremony(bundle.ceremony || {}, bundle.draw_id);
    } catch (error) {
      if (error instanceof DrawError) return [`种子仪式无效：${error.message}`];
      throw error;
    }
    const seed = await combineSeed(freeze.freeze_digest, reveals, String(bundle.ceremony.public_value));
    if (bundle.seed !== seed) return [`种子不符：记录为 ${bundle.seed}，由承诺、揭示和公开值重算为 ${seed}`];
    const total = population.size * freeze.parameters.rounds;
    let done = 0;
    const expected = await drawRounds(freeze, seed, population, (n) => { done += n; progress(done, total); });
    const problems = compareRounds(bundle.rounds || [], expected);
    return problems.length ? problems : checkSubstitutions(bundle.substitutions || [], expected);
  }

  return { verify, verifyPublic, verifyCompany, proofFromSalt, canonicalJson, canonicalPublicValue, STATUS_LABELS };
})();

// Node (the test suite runs the vectors of docs/draw-vectors/ with it): the verifier alone.
if (typeof module !== "undefined") module.exports = DrawVerifier;

// The page's button: fetch the published files (or take local ones), verify, show the outcome.
if (typeof document !== "undefined") document.querySelectorAll("[data-verify-draw]").forEach((section) => {
  const button = section.querySelector("button");
  const output = section.querySelector("output");
  const bundleInput = section.querySelector("input[name=bundle]");
  const populationInput = section.querySelector("input[name=population]");
  const tokensInput = section.querySelector("input[name=tokens]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    output.textContent = "正在下载记录和名单…";
    try {
      const bundleText = bundleInput?.files.length
        ? await bundleInput.files[0].text()
        : await (await fetch(section.dataset.bundle)).text();
      const populationText = populationInput?.files.length
        ? await populationInput.files[0].text()
        : await (await fetch(section.dataset.population)).text();
      let tokensText = null;
      if (tokensInput?.files.length) tokensText = await tokensInput.files[0].text();
      else if (section.dataset.tokens) tokensText = await (await fetch(section.dataset.tokens)).text();
      const started = performance.now();
      const problems = await DrawVerifier.verify(JSON.parse(bundleText), populationText, (done, total) => {
        output.textContent = `正在重算优先级：${done} / ${total}`;
      }, tokensText);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      output.textContent = problems.length ? `FAIL ${problems[0]}` : `PASS：在本机重算一致（${seconds} 秒）`;
      output.dataset.result = problems.length ? "fail" : "pass";
    } catch (error) {
      output.textContent = `FAIL 无法验证：${error.message}`;
      output.dataset.result = "fail";
    } finally {
      button.disabled = false;
    }
  });
});

// 为什么是我: a company's own case, from its code and 核验码 (or its proof file), in the browser.
// A capability link may carry both after "#" (#<code>.<核验码>), which never reaches the server.
if (typeof document !== "undefined") document.querySelectorAll("[data-verify-company]").forEach((section) => {
  const button = section.querySelector("button");
  const output = section.querySelector("output");
  const code = section.querySelector("input[name=uscc]");
  const salt = section.querySelector("input[name=salt]");
  const proofInput = section.querySelector("input[name=proof]");
  const region = section.querySelector("[role=region]");
  const body = section.querySelector("tbody");
  const [fromCode, fromSalt] = decodeURIComponent(location.hash.slice(1)).split(".");
  if (fromCode && fromSalt) { code.value = fromCode; salt.value = fromSalt; }
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    region.hidden = true;
    body.replaceChildren();
    output.dataset.result = "";
    output.textContent = "正在下载公开记录、名单和令牌…";
    try {
      const [bundle, codes, tokens] = await Promise.all(
        [section.dataset.bundle, section.dataset.population, section.dataset.tokens].map(async (url) => (await fetch(url)).text()),
      );
      const record = JSON.parse(bundle);
      let proof;
      if (proofInput.files.length) proof = JSON.parse(await proofInput.files[0].text());
      else {
        const uscc = code.value.trim().toUpperCase();
        const key = salt.value.trim().toLowerCase();
        proof = await DrawVerifier.proofFromSalt(record, tokens, uscc, key);
        if (!proof) throw new Error("名单的令牌中找不到这个代码和核验码：请核对后重试");
      }
      output.textContent = "正在核验…";
      const { problems, findings } = await DrawVerifier.verifyCompany(record, codes, tokens, proof);
      if (problems.length) {
        output.textContent = `FAIL ${problems[0]}`;
        output.dataset.result = "fail";
        return;
      }
      for (const found of findings) {
        const row = document.createElement("tr");
        for (const text of [found.round, found.risk_class, found.key, found.cutoff ?? "—", found.reserve_cutoff ?? "—", DrawVerifier.STATUS_LABELS[found.status]]) {
          const cell = document.createElement("td");
          cell.textContent = String(text);
          row.append(cell);
        }
        body.append(row);
      }
      region.hidden = false;
      const first = findings[0];
      const why = first.status === "selected" ? "排序键不大于本层抽中截止值" : first.status === "reserve" ? "排序键大于抽中截止值、不大于备选截止值" : "排序键大于本层截止值";
      output.textContent = `PASS：${proof.uscc} 在冻结的名单中，属 ${first.risk_class} 层；第 1 轮${DrawVerifier.STATUS_LABELS[first.status]}（${why}）。公开记录在本机重算一致。`;
      output.dataset.result = "pass";
    } catch (error) {
      output.textContent = `FAIL 无法核验：${error.message}`;
      output.dataset.result = "fail";
    } finally {
      button.disabled = false;
    }
  });
});
