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
    "exclusions_digest", "frozen_at", "supersedes", "redraw_reason", "freeze_digest", "exclusions",
    "ceremony", "seed", "record_digest", "rounds", "substitutions",
  ];
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

  function readPopulationCsv(text) {
    const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
    const header = csvCells(lines[0]).map(stripBlank);
    const code = header.indexOf("uscc");
    const risk = header.indexOf("risk_class");
    if (code < 0 || risk < 0) throw new DrawError("名单文件应有表头，且包含 uscc 和 risk_class 两列");
    const population = new Map();
    for (let i = 1; i < lines.length; i += 1) {
      if (!lines[i]) continue;
      const cells = csvCells(lines[i]);
      const uscc = stripBlank(cells[code] || "").toUpperCase();
      const stratum = stripBlank(cells[risk] || "").toUpperCase() || "U";
      if (population.has(uscc)) throw new DrawError(`名单第${i + 1}行：统一社会信用代码“${uscc}”重复`);
      if (!STRATA.includes(stratum)) throw new DrawError(`名单第${i + 1}行：风险分类“${stratum}”无效`);
      population.set(uscc, stratum);
    }
    return population;
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
    const listing = codes.map((c) => `${c},${population.get(c)}\n`).join("");
    const sizes = Object.fromEntries(STRATA.map((s) => [s, 0]));
    for (const stratum of population.values()) sizes[stratum] += 1;
    const exclusions = [...(bundle.exclusions || [])]
      .map((e) => [e.uscc, e.reason])
      .sort((a, b) => byCodePoint(a[0], b[0]) || byCodePoint(a[1], b[1]));
    const record = {
      spec,
      draw_id: bundle.draw_id,
      task: bundle.task || {},
      parameters: p,
      population_digest: await sha256Text(listing),
      population_size: population.size,
      strata_sizes: sizes,
      exclusions_digest: await sha256Text(exclusions.map(([c, r]) => `${c}${SEP}${r}\n`).join("")),
    };
    if (spec === SPEC_V2)
      Object.assign(record, { frozen_at: bundle.frozen_at, supersedes: bundle.supersedes, redraw_reason: bundle.redraw_reason });
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
    return reveals;
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
  async function ranked(seed, drawId, round, codes, count, progress) {
    const prefix = encoder.encode([SPEC, "priority", seed, drawId, String(round), ""].join(SEP));
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

  async function drawRounds(freeze, seed, population, progress) {
    const p = freeze.parameters;
    const byStratum = Object.fromEntries(STRATA.map((s) => [s, []]));
    for (const [code, stratum] of population) byStratum[stratum].push(code);
    const sizes = Object.fromEntries(STRATA.map((s) => [s, byStratum[s].length]));
    const v2 = freeze.spec === SPEC_V2;
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
        // exhausted: top up from earlier rounds — version 1 the selection, version 2 the reserve too
        if (fresh.length < (v2 ? k + reserveSize : k)) fresh = fresh.concat(order.filter((c) => drawnBefore.has(c)));
        strata[stratum] = {
          N: sizes[stratum],
          ratio: v2 && p.count !== null ? null : ratioText(stratumRatio(p, stratum)),
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
    for (const key of ["population_digest", "population_size", "strata_sizes", "exclusions_digest"])
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
    const total = population.size * freeze.parameters.rounds;
    let done = 0;
    const expected = await drawRounds(freeze, seed, population, (n) => { done += n; progress(done, total); });
    const problems = compareRounds(bundle.rounds, expected);
    return problems.length ? problems : checkSubstitutions(bundle.substitutions, expected, true);
  }

  // The discrepancies, first one first; an empty list is a PASS. `progress(done, total)` is
  // told how many priorities have been hashed.
  async function verify(bundle, populationCsv, progress = () => {}) {
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

  return { verify, canonicalJson, canonicalPublicValue };
})();

// Node (the test suite runs the vectors of docs/draw-vectors/ with it): the verifier alone.
if (typeof module !== "undefined") module.exports = DrawVerifier;

// The page's button: fetch the published files (or take local ones), verify, show the outcome.
if (typeof document !== "undefined") document.querySelectorAll("[data-verify-draw]").forEach((section) => {
  const button = section.querySelector("button");
  const output = section.querySelector("output");
  const bundleInput = section.querySelector("input[name=bundle]");
  const populationInput = section.querySelector("input[name=population]");
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
      const started = performance.now();
      const problems = await DrawVerifier.verify(JSON.parse(bundleText), populationText, (done, total) => {
        output.textContent = `正在重算优先级：${done} / ${total}`;
      });
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
