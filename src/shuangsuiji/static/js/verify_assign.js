// The assignment verifier (shuangsuiji-assign/1) in a browser or under node: the rule of
// docs/assign-spec.md, re-derived from assignment.json alone with WebCrypto's SHA-256 — no
// help from the server that published it. It follows the spec's order of checks (section E)
// and reports the first discrepancy in the words core/assign.py's verify() uses, so both
// verifiers give the same verdict; the test suite runs both over docs/draw-vectors/assign-*.
"use strict";

const AssignVerifier = (() => {
  const SPEC = "shuangsuiji-assign/1";
  const DRAW_SPEC = "shuangsuiji-draw/1"; // the seed and commitments are a version-1 draw's
  const SEP = "\x1f";
  const LEADER = "组长";
  const MEMBER = "组员";
  const SEED_KINDS = ["commit-reveal", "public", "system"];
  const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
  const RULE_DEFAULTS = { min_team: 2, cap: null, cap_slack: 1, rotation: true, avoid_own_unit: false, visit_limit: 1 };
  const UNSTAFFABLE_SHOWN = 20;
  const encoder = new TextEncoder();

  class AssignError extends Error {}
  class DrawError extends Error {}
  // A missing key, worded as Python's KeyError prints it.
  class KeyMissing extends Error {
    constructor(key) {
      super(`'${key}'`);
    }
  }

  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  const sha256Text = async (text) => hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const sortedStrings = (items) => [...items].sort(byCodePoint);
  const compareTuples = (a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      const order = byCodePoint(a[i], b[i]);
      if (order) return order;
    }
    return a.length - b.length;
  };
  const get = (object, key) => {
    if (object === null || typeof object !== "object" || !(key in object)) throw new KeyMissing(key);
    return object[key];
  };
  const ceilDiv = (a, b) => Math.ceil(a / b);

  // Sorted keys, no spaces, non-ASCII as is: Python's json.dumps(sort_keys=True,
  // separators=(",", ":"), ensure_ascii=False), the bytes every digest is taken of.
  function canonicalJson(value) {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    const keys = Object.keys(value).sort(byCodePoint);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }

  // Python's str() and repr(), for messages worded as verify_assign.py words them.
  function pyStr(value) {
    if (value === null || value === undefined) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    if (typeof value === "object") return pyRepr(value);
    return String(value);
  }
  function pyRepr(value) {
    if (typeof value === "string") {
      const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
      let out = "";
      for (const char of value) {
        const code = char.codePointAt(0);
        if (char === "\\") out += "\\\\";
        else if (char === quote) out += `\\${quote}`;
        else if (char === "\n") out += "\\n";
        else if (char === "\r") out += "\\r";
        else if (char === "\t") out += "\\t";
        else if (code < 0x20 || (code >= 0x7f && code < 0xa1)) out += `\\x${code.toString(16).padStart(2, "0")}`;
        else out += char;
      }
      return quote + out + quote;
    }
    if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
    if (value !== null && typeof value === "object")
      return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
    return pyStr(value);
  }
  // Python's == on JSON values: key order does not matter, True == 1.
  function pyEqual(a, b) {
    const scalar = (v) => (typeof v === "boolean" ? Number(v) : v);
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return scalar(a) === scalar(b);
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === b.length && a.every((item, i) => pyEqual(item, b[i]));
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && pyEqual(a[k], b[k]));
  }

  // --- the seed (docs/draw-spec.md section 2, as for a version-1 draw) ----------------------
  const commitment = (id, party, secret) => sha256Text([DRAW_SPEC, "commit", id, party, secret].join(SEP));

  async function checkCeremony(ceremony, id) {
    const kind = ceremony.kind;
    if (!SEED_KINDS.includes(kind)) throw new DrawError(`种子类型“${pyStr(kind)}”无效：应为 ${SEED_KINDS.join("/")}`);
    const list = ceremony.commitments || [];
    const committed = new Map(list.map((c) => [get(c, "party"), get(c, "commitment")]));
    if (new Set(committed.values()).size !== committed.size || committed.size !== list.length)
      throw new DrawError("承诺值重复：每个部门必须提交各自不同的承诺");
    const reveals = new Map();
    for (const reveal of ceremony.reveals || []) {
      const party = get(reveal, "party");
      const secret = get(reveal, "secret");
      if (!committed.has(party)) throw new DrawError(`“${party}”揭示了秘密，但事先没有提交承诺`);
      if ((await commitment(id, party, secret)) !== committed.get(party))
        throw new DrawError(`“${party}”揭示的秘密与其承诺不符`);
      reveals.set(party, secret);
    }
    if (kind === "commit-reveal" && !reveals.size) throw new DrawError("承诺—揭示仪式没有任何有效揭示");
    if (!("public_value" in ceremony ? pyStr(ceremony.public_value) : "").trim()) throw new DrawError("缺少公开随机值（如联席会议现场掷骰结果）");
    return reveals;
  }

  function combineSeed(freezeDigest, reveals, publicValue) {
    const parts = [DRAW_SPEC, "seed", freezeDigest];
    for (const party of sortedStrings(reveals.keys())) parts.push(party, reveals.get(party));
    parts.push("public", publicValue);
    return sha256Text(parts.join(SEP));
  }

  // --- rules and the freeze record (spec: Inputs) --------------------------------------------
  function rulesFrom(data) {
    const rules = {};
    for (const [key, value] of Object.entries(RULE_DEFAULTS)) rules[key] = key in data ? data[key] : value;
    return rules;
  }

  function checkRules(rules) {
    if (rules.min_team < 2) throw new AssignError("每组至少2名执法人员（min_team ≥ 2）");
    if (rules.cap !== null && rules.cap < 1) throw new AssignError("每人检查上限（cap）至少为 1");
    if (rules.cap_slack < 0 || rules.visit_limit < 1) throw new AssignError("cap_slack 不能为负，visit_limit 至少为 1");
  }

  const sortedRows = (rows, ...keys) => {
    const key = (row) => keys.map((k) => (k in row ? pyStr(row[k]) : ""));
    return rows.map((row) => ({ ...row })).sort((a, b) => compareTuples(key(a), key(b)));
  };

  async function freezeRecord(bundle) {
    const id = get(bundle, "assignment_id");
    const rules = rulesFrom(get(bundle, "rules"));
    const tasks = get(bundle, "tasks");
    const inspectors = get(bundle, "inspectors");
    const conflicts = get(bundle, "conflicts");
    const history = get(bundle, "history");
    const units = bundle.units || {};
    if (!ID_PATTERN.test(id)) throw new AssignError(`分派编号“${id}”无效：只能用字母、数字和 . _ -`);
    checkRules(rules);
    const seen = new Map();
    for (const person of inspectors) {
      const ident = get(person, "id");
      seen.set(ident, (seen.get(ident) || 0) + 1);
    }
    for (const [ident, count] of seen) if (count > 1) throw new AssignError(`执法人员“${ident}”在名单中重复`);
    const record = {
      spec: SPEC,
      assignment_id: id,
      rules,
      tasks: sortedRows(
        tasks.map((t) => ({ ...t, selected: sortedStrings(new Set(get(t, "selected"))), partners: sortedStrings(t.partners || []) })),
        "task",
      ),
      inspectors: sortedRows(
        inspectors.map((i) => ({ ...i, qualifications: sortedStrings(i.qualifications || []) })),
        "id",
      ),
      conflicts: sortedRows(conflicts, "inspector", "uscc", "reason"),
      history: sortedRows(history, "uscc", "inspector"),
      units: Object.fromEntries(Object.keys(units).sort(byCodePoint).map((k) => [k, units[k]])),
    };
    const { inspectors: people, conflicts: declared, history: last, units: map } = record;
    record.pool_digest = await sha256Text(canonicalJson({ inspectors: people, conflicts: declared, history: last, units: map }));
    record.freeze_digest = await sha256Text(canonicalJson(record));
    return record;
  }

  // --- A. visits ---------------------------------------------------------------------------
  function mergeVisits(tasks, minTeam) {
    const byTask = new Map(tasks.map((t) => [t.task, t]));
    const occurrences = new Map();
    for (const task of tasks) {
      const [start, end] = task.window;
      if (start > end) throw new AssignError(`任务“${task.task}”的起止时间颠倒：${start} 晚于 ${end}`);
      for (const code of new Set(task.selected)) {
        if (!occurrences.has(code)) occurrences.set(code, []);
        occurrences.get(code).push([end, start, task.task]);
      }
    }
    const visits = [];
    for (const code of sortedStrings(occurrences.keys())) {
      let remaining = occurrences.get(code).sort(compareTuples);
      while (remaining.length) {
        const point = remaining[0][0];
        const group = remaining.filter((o) => o[1] <= point);
        remaining = remaining.filter((o) => o[1] > point);
        const members = sortedStrings(group.map((o) => o[2]));
        const start = group.map((o) => o[1]).sort(byCodePoint).at(-1);
        visits.push(makeVisit(code, start, point, members.map((m) => byTask.get(m)), minTeam));
      }
    }
    return visits;
  }

  function makeVisit(code, start, end, tasks, minTeam) {
    const lead = tasks[0].lead;
    const others = new Set(tasks.flatMap((t) => [t.lead, ...(t.partners || [])]));
    others.delete(lead);
    const departments = [lead, ...sortedStrings(others)];
    const sizes = tasks.map((t) => Math.trunc(Number(t.team_size || minTeam)));
    return {
      id: `${code}-${start.replaceAll("-", "")}`,
      uscc: code,
      window: [start, end],
      tasks: tasks.map((t) => t.task),
      lead,
      departments,
      qualifications: sortedStrings(new Set(tasks.flatMap((t) => t.qualifications || []))),
      team_size: Math.max(minTeam, departments.length, ...sizes),
    };
  }

  function mergeReport(tasks, visits, visitLimit) {
    const perEntity = new Map();
    for (const v of visits) perEntity.set(v.uscc, (perEntity.get(v.uscc) || 0) + 1);
    const histogram = new Map();
    for (const n of perEntity.values()) histogram.set(n, (histogram.get(n) || 0) + 1);
    return {
      visits_before: tasks.reduce((sum, t) => sum + new Set(t.selected).size, 0),
      visits_after: visits.length,
      entities: perEntity.size,
      visits_per_entity: Object.fromEntries([...histogram].sort((a, b) => a[0] - b[0]).map(([n, c]) => [String(n), c])),
      over_limit: sortedStrings([...perEntity].filter(([, n]) => n > visitLimit).map(([code]) => code)),
    };
  }

  // --- B. pools, caps and shortfalls ---------------------------------------------------------
  function monthBounds(start, end) {
    const last = new Date(Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)), 0)).getUTCDate();
    return [`${start}-01`, `${end}-${String(last).padStart(2, "0")}`];
  }

  function makePool(freeze) {
    const conflicts = new Map();
    for (const row of freeze.conflicts) {
      if (!conflicts.has(row.uscc)) conflicts.set(row.uscc, new Set());
      conflicts.get(row.uscc).add(row.inspector);
    }
    const lastVisit = new Map();
    for (const row of freeze.history) {
      if (!lastVisit.has(row.uscc)) lastVisit.set(row.uscc, new Set());
      lastVisit.get(row.uscc).add(row.inspector);
    }
    const byId = new Map(freeze.inspectors.map((i) => [i.id, i]));
    const quals = new Map(freeze.inspectors.map((i) => [i.id, new Set(i.qualifications || [])]));
    return { byId, quals, conflicts, lastVisit, units: freeze.units || {}, rules: rulesFrom(freeze.rules) };
  }

  const active = (person) => ("active" in person ? Boolean(person.active) : true);
  const covers = (person, [first, last]) => person.valid_from <= first && person.valid_until >= last;

  // Per department, the active inspectors certified for at least one of its visits' days.
  function usable(pool, visits) {
    const windows = new Map();
    for (const v of visits) {
      const days = monthBounds(...v.window);
      for (const d of v.departments) {
        if (!windows.has(d)) windows.set(d, []);
        windows.get(d).push(days);
      }
    }
    const result = new Map();
    for (const [ident, person] of pool.byId) {
      const d = person.department;
      if (active(person) && (windows.get(d) || []).some((days) => covers(person, days))) {
        if (!result.has(d)) result.set(d, new Set());
        result.get(d).add(ident);
      }
    }
    return result;
  }

  const invalidFor = (pool, days) => new Set([...pool.byId].filter(([, p]) => !covers(p, days)).map(([i]) => i));

  function personalBars(pool, visit) {
    const barred = new Set(pool.conflicts.get(visit.uscc) || []);
    if (pool.rules.rotation) for (const i of pool.lastVisit.get(visit.uscc) || []) barred.add(i);
    const unit = pool.rules.avoid_own_unit ? pool.units[visit.uscc] : null;
    if (unit) for (const [i, p] of pool.byId) if (p.unit === unit) barred.add(i);
    return barred;
  }

  function barredFor(pool, visit) {
    const barred = personalBars(pool, visit);
    for (const i of invalidFor(pool, monthBounds(...visit.window))) barred.add(i);
    return barred;
  }

  function whyIneligible(pool, inspector, visit) {
    const person = pool.byId.get(inspector);
    if (!person) return "不在冻结的执法人员名单中";
    if (!active(person)) return "不在岗";
    if (!covers(person, monthBounds(...visit.window)))
      return `执法证有效期（${person.valid_from}至${person.valid_until}）未覆盖检查期`;
    if (!visit.departments.includes(person.department)) return `所属部门“${person.department}”不参加此次检查`;
    if ((pool.conflicts.get(visit.uscc) || new Set()).has(inspector)) return "已申报与该检查对象回避";
    if (pool.rules.rotation && (pool.lastVisit.get(visit.uscc) || new Set()).has(inspector))
      return "上次检查该对象的执法人员（轮换）";
    const unit = pool.units[visit.uscc];
    if (pool.rules.avoid_own_unit && unit && person.unit === unit) return "检查对象属本人管辖单位";
    return null;
  }

  const count = (map, key, step = 1) => map.set(key, (map.get(key) || 0) + step);

  function demandOf(visits) {
    const demand = new Map();
    for (const v of visits) for (const d of v.departments) count(demand, d, v.departments.length === 1 ? v.team_size : 1);
    return demand;
  }

  function reachOf(visits) {
    const reach = new Map();
    for (const v of visits) {
      const open = v.team_size - v.departments.length + v.qualifications.length;
      for (const d of v.departments) count(reach, d, 1 + open);
    }
    return reach;
  }

  function caps(pool, visits, people) {
    const need = new Map();
    for (const v of visits) for (const q of v.qualifications) for (const d of v.departments) count(need, `${d}${SEP}${q}`);
    const extra = new Map();
    for (const [key, n] of need) {
      const [d, q] = key.split(SEP);
      const holders = [...(people.get(d) || [])].filter((i) => pool.quals.get(i).has(q)).length;
      if (holders) extra.set(d, Math.max(extra.get(d) || 0, ceilDiv(n, holders)));
    }
    const result = {};
    for (const [d, reach] of [...reachOf(visits)].sort((a, b) => byCodePoint(a[0], b[0]))) {
      const size = (people.get(d) || new Set()).size;
      if (pool.rules.cap !== null) result[d] = pool.rules.cap;
      else if (size) result[d] = ceilDiv(reach, size) + (extra.get(d) || 0) + pool.rules.cap_slack;
      else result[d] = 0;
    }
    return result;
  }

  function heldByDepartment(pool, people) {
    const held = new Map();
    for (const [d, ids] of people) {
      const set = new Set();
      for (const i of ids) for (const q of pool.quals.get(i)) set.add(q);
      held.set(d, set);
    }
    return held;
  }

  function shortfalls(pool, visits, people, limits) {
    const alone = new Map();
    for (const v of visits) if (v.departments.length === 1) alone.set(v.lead, Math.max(alone.get(v.lead) || 0, v.team_size));
    const problems = [];
    const byQualification = new Map();
    for (const v of visits)
      for (const q of v.qualifications) {
        if (!byQualification.has(q)) byQualification.set(q, new Set());
        for (const d of v.departments) byQualification.get(q).add(d);
      }
    for (const q of sortedStrings(byQualification.keys())) {
      const held = [...byQualification.get(q)].some((d) => [...(people.get(d) || [])].some((i) => pool.quals.get(i).has(q)));
      if (!held) problems.push(`没有可用的执法人员持有“${q}”资格，需要该资格的检查无法组队`);
    }
    const held = heldByDepartment(pool, people);
    const holds = (d, q) => (held.get(d) || new Set()).has(q);
    const missing = new Map();
    for (const v of visits)
      for (const q of v.qualifications)
        if (!v.departments.some((d) => holds(d, q))) {
          const key = JSON.stringify([q, v.departments]);
          missing.set(key, (missing.get(key) || 0) + 1);
        }
    const groups = [...missing].map(([key, n]) => [...JSON.parse(key), n]);
    groups.sort((a, b) => byCodePoint(a[0], b[0]) || compareTuples(a[1], b[1]));
    for (const [q, departments, n] of groups)
      problems.push(`${departments.join("、")}均无持“${q}”资格的可用执法人员，${n}次检查无法组队`);
    problems.push(...unstaffable(pool, visits, people, holds));
    for (const [d, demand] of [...demandOf(visits)].sort((a, b) => byCodePoint(a[0], b[0]))) {
      const size = (people.get(d) || new Set()).size;
      const capacity = size * limits[d];
      const need = alone.get(d) || 0;
      if (size < need)
        problems.push(`${d}：单独检查每组需${need}名执法人员，只有${size}名在岗且执法证有效，缺${need - size}名`);
      else if (demand > capacity)
        problems.push(`${d}：需${demand}人次，${size}名可用执法人员×每人上限${limits[d]}次=${capacity}人次，缺${demand - capacity}人次`);
    }
    return problems;
  }

  // Visits no team could staff even with no cap, said before the seed (spec B, last item).
  function unstaffable(pool, visits, people, holds) {
    let problems = [];
    for (const v of visits) {
      const days = monthBounds(...v.window);
      const invalid = invalidFor(pool, days);
      const personal = personalBars(pool, v);
      const eligible = new Map(v.departments.map((d) => [d, [...(people.get(d) || [])].filter((i) => !invalid.has(i))]));
      const free = (ids) => ids.filter((i) => !personal.has(i)).length;
      const counts = new Map(v.departments.map((d) => [d, free(eligible.get(d))]));
      const empty = v.departments.filter((d) => !counts.get(d));
      if (empty.length) {
        problems.push(`检查 ${v.id}：${empty.join("、")}没有可分派的执法人员`);
        continue;
      }
      for (const q of v.qualifications) {
        if (!v.departments.some((d) => holds(d, q))) continue; // said once per group
        const held = v.departments.reduce((sum, d) => sum + free(eligible.get(d).filter((i) => pool.quals.get(i).has(q))), 0);
        if (!held) problems.push(`检查 ${v.id}：没有可分派的执法人员持有“${q}”资格`);
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (total < v.team_size) problems.push(`检查 ${v.id}：需${v.team_size}名执法人员，可分派的只有${total}名`);
    }
    if (problems.length > UNSTAFFABLE_SHOWN)
      problems = [...problems.slice(0, UNSTAFFABLE_SHOWN), `等共${problems.length}处（均因回避、轮换或执法证有效期）`];
    return problems;
  }

  // --- C. teams ----------------------------------------------------------------------------
  const hashInt = async (...parts) => BigInt(`0x${await sha256Text([SPEC, ...parts].join(SEP))}`);

  function makeLoads(people, limits) {
    const load = new Map();
    const department = new Map();
    for (const [d, ids] of people)
      for (const i of ids) {
        load.set(i, 0);
        department.set(i, d);
      }
    return { load, department, people, limits };
  }
  const move = (loads, inspector, step) => loads.load.set(inspector, loads.load.get(inspector) + step);

  // The place's candidates: usable in its departments, under the cap, neither barred nor
  // taken, holding what is wanted; the least loaded of them, sorted by id.
  function candidates(loads, departments, barred, taken, wanted, quals) {
    const found = [];
    for (const d of departments)
      for (const i of loads.people.get(d) || [])
        if (loads.load.get(i) < (loads.limits[d] ?? 0) && !barred.has(i) && !taken.has(i) && [...wanted].every((q) => quals.get(i).has(q)))
          found.push(i);
    if (!found.length) return [];
    const least = Math.min(...found.map((i) => loads.load.get(i)));
    return sortedStrings(found.filter((i) => loads.load.get(i) === least));
  }

  async function pick(pool, loads, visit, slot, taken, key, wanted, barred) {
    const found = candidates(loads, slot.departments, barred, taken, wanted, pool.quals);
    if (!found.length) {
      const need = wanted.size ? `持“${sortedStrings(wanted).join("、")}”资格的` : "";
      throw new AssignError(
        `检查 ${visit.id} 的第${slot.number}个岗位（${slot.departments.join("、")}）没有${need}可分派的执法人员：均已回避、执法证无效、不在岗或已达每人上限`,
      );
    }
    return found[Number((await hashInt(...key)) % BigInt(found.length))];
  }

  async function staff(pool, loads, visit, seed) {
    const team = [];
    const taken = new Set();
    const barred = barredFor(pool, visit);
    const fill = async (slot) => {
      const wanted = new Set(slot.qualification ? [slot.qualification] : []);
      const inspector = await pick(pool, loads, visit, slot, taken, ["slot", seed, visit.id, String(slot.number)], wanted, barred);
      taken.add(inspector);
      move(loads, inspector, 1);
      team.push({
        slot: slot.number,
        inspector,
        department: loads.department.get(inspector),
        role: slot.role,
        for: slot.departments.length > 1 ? [...slot.departments] : slot.departments[0],
        qualification: slot.qualification,
      });
    };
    await fill({ number: 1, departments: [visit.lead], qualification: null, role: LEADER });
    for (const d of visit.departments.slice(1)) await fill({ number: team.length + 1, departments: [d], qualification: null, role: MEMBER });
    for (const q of visit.qualifications)
      if (![...taken].some((i) => pool.quals.get(i).has(q)))
        await fill({ number: team.length + 1, departments: visit.departments, qualification: q, role: MEMBER });
    while (team.length < visit.team_size) await fill({ number: team.length + 1, departments: visit.departments, qualification: null, role: MEMBER });
    return team;
  }

  async function assign(freeze, seed) {
    const rules = rulesFrom(freeze.rules);
    const visits = mergeVisits(freeze.tasks, rules.min_team);
    const pool = makePool(freeze);
    const people = usable(pool, visits);
    const limits = caps(pool, visits, people);
    const problems = shortfalls(pool, visits, people, limits);
    if (problems.length) throw new AssignError(`执法人员不足：${problems.join("；")}`);
    const order = await Promise.all(visits.map(async (v) => [await hashInt("visit", seed, v.id), v]));
    order.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const loads = makeLoads(people, limits);
    const teams = new Map();
    for (const [, v] of order) teams.set(v.id, await staff(pool, loads, v, seed));
    return {
      caps: limits,
      visits: visits.map((v) => ({ ...v, team: teams.get(v.id) })),
      report: mergeReport(freeze.tasks, visits, rules.visit_limit),
    };
  }

  function loadReport(visits, freeze) {
    const loads = new Map();
    for (const v of visits) for (const m of v.team) count(loads, m.inspector);
    const people = usable(makePool(freeze), visits);
    const report = {};
    for (const d of sortedStrings(people.keys())) {
      const counts = [...people.get(d)].map((i) => loads.get(i) || 0);
      report[d] = { inspectors: counts.length, min: Math.min(...counts), max: Math.max(...counts), total: counts.reduce((a, b) => a + b, 0) };
    }
    return report;
  }

  // --- D. recusals -------------------------------------------------------------------------
  function replay(bundle, freeze, recusals) {
    const loads = makeLoads(usable(makePool(freeze), bundle.visits), bundle.caps);
    const teams = new Map(bundle.visits.map((v) => [v.id, v.team.map((m) => ({ ...m }))]));
    for (const team of teams.values()) for (const m of team) if (loads.load.has(m.inspector)) move(loads, m.inspector, 1);
    for (const r of recusals) apply(teams, loads, r);
    return { teams, loads };
  }

  function apply(teams, loads, recusal) {
    for (const m of teams.get(recusal.visit))
      if (m.inspector === recusal.inspector) {
        move(loads, m.inspector, -1);
        m.inspector = recusal.replacement;
        m.department = loads.department.get(recusal.replacement);
        move(loads, recusal.replacement, 1);
      }
  }

  async function nextRecusal(pool, loads, teams, bundle, earlier, visitId, inspector, reason) {
    if (!String(reason).trim()) throw new AssignError("回避须说明事由");
    const visit = bundle.visits.find((v) => v.id === visitId);
    if (!visit) throw new AssignError(`没有编号为 ${visitId} 的检查`);
    const team = teams.get(visitId);
    const member = team.find((m) => m.inspector === inspector);
    if (!member) throw new AssignError(`执法人员 ${inspector} 不在检查 ${visitId} 的检查组中`);
    const number = earlier.length + 1;
    const taken = new Set([...team.map((m) => m.inspector), ...earlier.filter((r) => r.visit === visitId).map((r) => r.inspector)]);
    const departments = Array.isArray(member.for) ? member.for : [member.for];
    const slot = { number: member.slot, departments, qualification: member.qualification ?? null, role: member.role };
    const remaining = team.filter((m) => m !== member).map((m) => pool.quals.get(m.inspector) || new Set());
    const wanted = new Set(visit.qualifications.filter((q) => !remaining.some((held) => held.has(q))));
    if (slot.qualification) wanted.add(slot.qualification);
    const key = ["recusal", bundle.seed, visit.id, String(member.slot), String(number)];
    const replacement = await pick(pool, loads, visit, slot, taken, key, wanted, barredFor(pool, visit));
    return { number, visit: visitId, slot: member.slot, inspector, reason: String(reason).trim(), replacement };
  }

  async function checkRecusals(bundle, freeze) {
    const recusals = bundle.recusals || [];
    if (!recusals.length) return [];
    const pool = makePool(freeze);
    const { teams, loads } = replay(bundle, freeze, []);
    for (let number = 1; number <= recusals.length; number += 1) {
      const recusal = recusals[number - 1];
      let want;
      try {
        const args = [get(recusal, "visit"), get(recusal, "inspector"), get(recusal, "reason")];
        want = await nextRecusal(pool, loads, teams, bundle, recusals.slice(0, number - 1), ...args);
      } catch (error) {
        if (error instanceof AssignError || error instanceof KeyMissing) return [`第${number}次回避无效：${error.message}`];
        throw error;
      }
      if (!pyEqual(want, recusal)) return [`第${number}次回避的替补应为 ${want.replacement}，记录为 ${pyStr(recusal.replacement)}`];
      apply(teams, loads, recusal);
    }
    return [];
  }

  // --- E. verification -----------------------------------------------------------------------
  function compareVisits(recorded, expected, freeze) {
    if (recorded.length !== expected.length)
      return [`检查（走访）数不符：记录 ${recorded.length} 次，应为 ${expected.length} 次`];
    const pool = makePool(freeze);
    for (let index = 0; index < expected.length; index += 1) {
      const got = recorded[index];
      const { team, ...want } = expected[index];
      const visit = Object.fromEntries(Object.keys(want).map((k) => [k, got[k] ?? null]));
      if (!pyEqual(visit, want)) return [`检查 ${want.id} 的合并结果不符：记录 ${pyRepr(visit)}，应为 ${pyRepr(want)}`];
      const gotTeam = got.team || [];
      for (let i = 0; i < team.length; i += 1) {
        const have = i < gotTeam.length ? gotTeam[i] : {};
        if (!pyEqual(have, team[i])) {
          const who = have.inspector;
          const why = who ? whyIneligible(pool, pyStr(who), want) : null;
          const because = why ? `（${who} ${why}）` : "";
          return [`检查 ${want.id} 第${team[i].slot}岗位不符：记录 ${pyStr(who)}，应为 ${team[i].inspector}${because}`];
        }
      }
      if (gotTeam.length !== team.length) return [`检查 ${want.id} 的检查组人数不符：记录 ${gotTeam.length}，应为 ${team.length}`];
    }
    return [];
  }

  // The discrepancies, first one first; an empty list is a PASS.
  async function verify(bundle) {
    if (bundle.spec !== SPEC) return [`规范版本“${pyStr(bundle.spec)}”不是 ${SPEC}`];
    let freeze;
    try {
      freeze = await freezeRecord(bundle);
    } catch (error) {
      if (error instanceof AssignError || error instanceof KeyMissing) return [`冻结记录无法重算：${error.message}`];
      throw error;
    }
    for (const key of ["pool_digest", "freeze_digest"])
      if (bundle[key] !== freeze[key])
        return [`${key} 不符：记录为 ${pyStr(bundle[key])}，重算为 ${freeze[key]}（冻结内容被改动）`];
    let reveals;
    try {
      reveals = await checkCeremony(get(bundle, "ceremony"), bundle.assignment_id);
    } catch (error) {
      if (error instanceof DrawError || error instanceof KeyMissing) return [`种子仪式无效：${error.message}`];
      throw error;
    }
    const seed = await combineSeed(freeze.freeze_digest, reveals, pyStr(bundle.ceremony.public_value));
    if (bundle.seed !== seed) return [`种子不符：记录为 ${pyStr(bundle.seed)}，重算为 ${seed}`];
    let expected;
    try {
      expected = await assign(freeze, seed);
    } catch (error) {
      if (error instanceof AssignError) return [`无法重算分派：${error.message}`];
      throw error;
    }
    if (!pyEqual(bundle.caps ?? null, expected.caps))
      return [`每人上限不符：记录为 ${pyRepr(bundle.caps ?? null)}，应为 ${pyRepr(expected.caps)}`];
    let problems = compareVisits(bundle.visits || [], expected.visits, freeze);
    if (!problems.length && !pyEqual(bundle.report ?? null, expected.report))
      problems = [`合并统计不符：记录为 ${pyRepr(bundle.report ?? null)}，应为 ${pyRepr(expected.report)}`];
    const loads = loadReport(expected.visits, freeze);
    if (!problems.length && !pyEqual(bundle.loads ?? null, loads))
      problems = [`工作量统计不符：记录为 ${pyRepr(bundle.loads ?? null)}，应为 ${pyRepr(loads)}`];
    return problems.length ? problems : checkRecusals(bundle, freeze);
  }

  return { verify, canonicalJson };
})();

// Node (the test suite runs the vectors of docs/draw-vectors/assign-* with it): the verifier
// alone. `node verify_assign.js assignment.json` prints PASS or FAIL as verify_assign.py does.
if (typeof module !== "undefined") {
  module.exports = AssignVerifier;
  if (typeof require !== "undefined" && require.main === module) {
    const [file] = process.argv.slice(2);
    if (!file) {
      process.stderr.write("用法：node verify_assign.js assignment.json\n");
      process.exit(2);
    }
    const bundle = JSON.parse(require("fs").readFileSync(file, "utf8"));
    AssignVerifier.verify(bundle).then((problems) => {
      if (problems.length) {
        process.stdout.write(`FAIL ${problems[0]}\n`);
        process.exit(1);
      }
      const places = bundle.visits.reduce((sum, v) => sum + v.team.length, 0);
      process.stdout.write(`PASS ${bundle.assignment_id}：${bundle.visits.length} 次检查，${places} 人次\n`);
    });
  }
}
