/**
 * `/watch` in words: `PRND_OXIDE above 450000`, `TB_OXIDE up 5% 30d`, `SZ300748 down 4% 15m`,
 * `DY_OXIDE stale 2d`, with optional `once`, `cooldown 1h`, `rearm 1%` and `note <text>`.
 * The result is validated with the rule body schema the API uses.
 */
import { DurationSchema, InstrumentIdSchema, RuleBodySchema } from "@rea/contracts";
import type { Condition, Rearm, RuleBody, RuleBodyInput, Window } from "@rea/contracts";
import { fail, firstIssue, ok, parseAmount, tokens } from "./parsed.js";
import type { Parsed } from "./parsed.js";

export const WATCH_EXAMPLES = [
  "/watch PRND_OXIDE above 450000",
  "/watch TB_OXIDE up 5% 30d",
  "/watch SZ300748 down 4% 15m",
  "/watch DY_OXIDE below 1,600",
  "/watch PRND_OXIDE cross_up 60 USD/kg",
  "/watch PRND_OXIDE stale 2d",
] as const;

export const WATCH_USAGE = [
  "Write /watch <instrument> <condition>, for example:",
  ...WATCH_EXAMPLES,
  "Conditions: above, below, cross_up, cross_down <price> [unit]; up, down, any <n%|amount> <window>; stale <duration>.",
  "Windows and durations: 90s, 15m, 4h, 30d, 2w, or 10obs for the last 10 prices.",
  "Options after the condition: once, cooldown 1h, rearm 1%, note <text>.",
].join("\n");

type LevelType = "above" | "below" | "cross_up" | "cross_down";
type Direction = "up" | "down" | "any";

const LEVEL_WORDS: Record<string, LevelType> = {
  above: "above",
  over: "above",
  ">": "above",
  below: "below",
  under: "below",
  "<": "below",
  crossup: "cross_up",
  crossdown: "cross_down",
};
const DIRECTIONS: Record<string, Direction> = { up: "up", down: "down", any: "any" };

const UNIT = /^([a-z]{3})\/(t|kg|lb|share|[a-z]{3})$/i;
const OBS = /^([1-9][0-9]{0,4})obs$/i;

/** `usd/kg` → `USD/kg`, `cny/usd` → `CNY/USD`; undefined when the token is not a unit. */
export function normaliseUnit(token: string): string | undefined {
  const m = UNIT.exec(token);
  if (m === null) return undefined;
  const measure = (m[2] ?? "").toLowerCase();
  const isMeasure = measure === "t" || measure === "kg" || measure === "lb" || measure === "share";
  return `${(m[1] ?? "").toUpperCase()}/${isMeasure ? measure : measure.toUpperCase()}`;
}

/** A duration token (`30D` → `30d`), or the schema's explanation of what a duration is. */
export function parseDuration(token: string | undefined, what: string): Parsed<string> {
  if (token === undefined) return fail(`${what} is missing: write it like 90s, 15m, 4h, 30d or 2w`);
  const d = DurationSchema.safeParse(token.toLowerCase());
  return d.success ? ok(d.data) : fail(`"${token}" is not a duration: write it like 90s, 15m, 4h, 30d or 2w`);
}

/** The instrument token, upper-cased and checked against the id pattern. */
export function parseInstrumentId(token: string | undefined): Parsed<string> {
  if (token === undefined)
    return fail("which instrument? Ids look like PRND_OXIDE or SZ300748 (/instruments lists them)");
  const id = InstrumentIdSchema.safeParse(token.toUpperCase());
  return id.success
    ? ok(id.data)
    : fail(`"${token}" is not an instrument id: ids look like PRND_OXIDE or SZ300748 (/instruments lists them)`);
}

/** A cursor over the argument tokens. */
class Cursor {
  private i = 0;
  constructor(readonly items: string[]) {}
  peek(): string | undefined {
    return this.items[this.i];
  }
  next(): string | undefined {
    return this.items[this.i++];
  }
  rest(): string[] {
    const out = this.items.slice(this.i);
    this.i = this.items.length;
    return out;
  }
}

function levelCondition(
  type: LevelType,
  instrument: string,
  c: Cursor,
): Parsed<{ condition: Condition; unit?: string }> {
  const token = c.next();
  if (token === undefined) return fail(`${type} what? Give a price, e.g. /watch ${instrument} ${type} 450000`);
  const value = parseAmount(token);
  if (value === undefined) return fail(`"${token}" is not a price: write a number such as 450000, 450,000 or 450k`);
  const maybeUnit = c.peek();
  const unit = maybeUnit === undefined ? undefined : normaliseUnit(maybeUnit);
  if (unit !== undefined) c.next();
  return ok({ condition: { type, value }, ...(unit === undefined ? {} : { unit }) });
}

function parseWindow(c: Cursor, example: string): Parsed<Window> {
  const token = c.next();
  if (token === undefined)
    return fail(`over what window? e.g. ${example} (s, m, h, d or w), or 10obs for the last 10 prices`);
  const obs = OBS.exec(token);
  if (obs !== null) return ok({ obs: Number(obs[1]) });
  if (/^[1-9][0-9]{0,4}$/.test(token) && c.peek()?.toLowerCase() === "obs") {
    c.next();
    return ok({ obs: Number(token) });
  }
  const d = parseDuration(token, "the window");
  return d.ok ? d : fail(`"${token}" is not a window: write 15m, 4h, 30d or 2w, or 10obs for the last 10 prices`);
}

function changeCondition(direction: Direction, instrument: string, c: Cursor): Parsed<{ condition: Condition }> {
  const example = `/watch ${instrument} ${direction} 5% 30d`;
  let token = c.next();
  if (token === undefined) return fail(`${direction} by how much? e.g. ${example}`);
  if (c.peek() === "%" && !token.endsWith("%")) token = `${token}${c.next() ?? ""}`;
  const isPct = token.endsWith("%");
  const amount = parseAmount(isPct ? token.slice(0, -1) : token);
  if (amount === undefined) {
    return fail(
      `"${token}" is not a change: write a percentage such as 5% or an amount such as 20000, e.g. ${example}`,
    );
  }
  const window = parseWindow(c, example);
  if (!window.ok) return window;
  const size = isPct ? { pct: amount } : { abs: amount };
  return ok({ condition: { type: "change", direction, ...size, window: window.value } });
}

function parseRearm(token: string | undefined): Parsed<Rearm> {
  if (token === undefined) return fail("rearm by how much? e.g. rearm 1% or rearm 5000");
  const isPct = token.endsWith("%");
  const amount = parseAmount(isPct ? token.slice(0, -1) : token);
  if (amount === undefined) return fail(`"${token}" is not a rearm band: write rearm 1% or rearm 5000`);
  return ok(isPct ? { pct: amount } : { abs: amount });
}

/** Reads the options that may follow the condition into the rule body. */
function applyOptions(c: Cursor, body: RuleBodyInput): Parsed<RuleBodyInput> {
  for (let token = c.next(); token !== undefined; token = c.next()) {
    const word = token.toLowerCase();
    if (word === "once") {
      body.once = true;
    } else if (word === "cooldown") {
      const d = parseDuration(c.next(), "the cooldown");
      if (!d.ok) return d;
      body.cooldown = d.value;
    } else if (word === "rearm") {
      const r = parseRearm(c.next());
      if (!r.ok) return r;
      body.rearm = r.value;
    } else if (word === "note") {
      const note = c.rest().join(" ");
      if (note === "") return fail("note what? e.g. note NdPr breakout");
      body.note = note;
    } else {
      return fail(
        `I don't understand "${token}" here: after the condition come once, cooldown 1h, rearm 1% or note <text>`,
      );
    }
  }
  return ok(body);
}

/**
 * Parses the arguments of `/watch` into a rule body.
 * @example parseWatch("TB_OXIDE up 5% 30d") // ok: { instrument: "TB_OXIDE", condition: { type: "change", direction: "up", pct: 5, window: "30d" }, ... }
 */
export function parseWatch(text: string): Parsed<RuleBody> {
  const c = new Cursor(tokens(text));
  if (c.peek() === undefined) return fail("tell me what to watch");
  const instrument = parseInstrumentId(c.next());
  if (!instrument.ok) return instrument;
  const id = instrument.value;
  const kindToken = c.next();
  if (kindToken === undefined) {
    return fail(`what should ${id} do? Say above, below, cross_up, cross_down, up, down, any or stale`);
  }
  const kind = kindToken.toLowerCase().replace(/[-_]/g, "");
  let parsed: Parsed<{ condition: Condition; unit?: string }>;
  const level = LEVEL_WORDS[kind];
  const direction = DIRECTIONS[kind];
  if (level !== undefined) {
    parsed = levelCondition(level, id, c);
  } else if (direction !== undefined) {
    parsed = changeCondition(direction, id, c);
  } else if (kind === "stale") {
    const after = parseDuration(c.next(), "how long without a price");
    parsed = after.ok ? ok({ condition: { type: "stale", after: after.value } }) : after;
  } else {
    return fail(
      `"${kindToken}" is not a condition: say above, below, cross_up, cross_down, up, down, any or stale, e.g. /watch ${id} above 450000`,
    );
  }
  if (!parsed.ok) return parsed;
  const body = applyOptions(c, {
    instrument: id,
    condition: parsed.value.condition,
    ...(parsed.value.unit === undefined ? {} : { unit: parsed.value.unit }),
  });
  if (!body.ok) return body;
  const checked = RuleBodySchema.safeParse(body.value);
  return checked.success ? ok(checked.data) : fail(firstIssue(checked.error.issues));
}
