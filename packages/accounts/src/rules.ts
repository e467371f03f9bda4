/** Creating and editing rules: checks against the catalogue, limits, revisions. */
import { AppError, unitsCompatible } from "@rea/contracts";
import type { Rule, RuleBody, RulePatch } from "@rea/contracts";
import type { AccountsDeps } from "./deps.js";
import { newId } from "./ids.js";

async function instrumentUnit(deps: AccountsDeps, instrument: string): Promise<string> {
  const inst = await deps.stores.instruments.get(instrument);
  if (inst === undefined) {
    throw new AppError("UNPROCESSABLE", `unknown instrument ${instrument}: GET /v1/instruments lists them`, {
      details: [{ path: "instrument", message: "unknown instrument" }],
    });
  }
  return inst.value.unit;
}

function checkUnit(instrument: string, quoteUnit: string, unit: string): void {
  if (!unitsCompatible(quoteUnit, unit)) {
    throw new AppError(
      "UNPROCESSABLE",
      `${instrument} is quoted in ${quoteUnit}; a threshold in ${unit} cannot be converted`,
      {
        details: [{ path: "unit", message: `not convertible to ${quoteUnit}` }],
      },
    );
  }
}

/** Rules are stored under `<userId>.<ruleId>`: a user's rules are one prefix, and ownership is in the key. */
export const ruleKey = (userId: string, ruleId: string): string => `${userId}.${ruleId}`;

export async function rulesOf(deps: AccountsDeps, userId: string): Promise<Rule[]> {
  const mine = await deps.stores.rules.entries(`${userId}.*`);
  return [...mine.values()].map((v) => v.value);
}

/**
 * The rule a body describes, checked against the catalogue (unknown instrument,
 * unconvertible unit: 422) but not stored: for previews, and the first step of
 * `createRule`.
 */
export async function draftRule(deps: AccountsDeps, userId: string, body: RuleBody): Promise<Rule> {
  const quoteUnit = await instrumentUnit(deps, body.instrument);
  const unit = body.unit ?? quoteUnit;
  checkUnit(body.instrument, quoteUnit, unit);
  const now = new Date(deps.now()).toISOString();
  const rule: Rule = {
    id: newId("r"),
    userId,
    revision: 1,
    instrument: body.instrument,
    condition: body.condition,
    unit,
    ...(body.rearm === undefined ? {} : { rearm: body.rearm }),
    ...(body.cooldown === undefined ? {} : { cooldown: body.cooldown }),
    once: body.once,
    expiresAt: body.expiresAt,
    channels: [...new Set(body.channels)],
    ...(body.note === undefined ? {} : { note: body.note }),
    enabled: true,
    createdAt: now,
    updatedAt: now,
  };
  return rule;
}

export async function createRule(deps: AccountsDeps, userId: string, body: RuleBody): Promise<Rule> {
  const rule = await draftRule(deps, userId, body);
  const count = (await rulesOf(deps, userId)).length;
  if (count >= deps.limits.maxRulesPerUser) {
    throw new AppError("CONFLICT", `you have ${count} rules, the most allowed: delete one first`);
  }
  await deps.stores.rules.create(ruleKey(userId, rule.id), rule);
  deps.logger.info({ userId, ruleId: rule.id, instrument: rule.instrument }, "rule created");
  return rule;
}

/** A rule of this user, or 404 (also when it belongs to someone else). */
export async function ownRule(
  deps: AccountsDeps,
  userId: string,
  ruleId: string,
): Promise<{ rule: Rule; revision: number }> {
  const found = /^r_[A-Za-z0-9]{8,32}$/.test(ruleId) ? await deps.stores.rules.get(ruleKey(userId, ruleId)) : undefined;
  if (found === undefined || found.value.userId !== userId) throw new AppError("NOT_FOUND", `no rule ${ruleId}`);
  return { rule: found.value, revision: found.revision };
}

export async function patchRule(deps: AccountsDeps, userId: string, ruleId: string, patch: RulePatch): Promise<Rule> {
  const { rule, revision } = await ownRule(deps, userId, ruleId);
  const quoteUnit = await instrumentUnit(deps, rule.instrument);
  const unit = patch.unit ?? rule.unit;
  checkUnit(rule.instrument, quoteUnit, unit);
  const { rearm: _r, cooldown: _c, note: _n, ...base } = rule;
  const rearm = patch.rearm === undefined ? rule.rearm : (patch.rearm ?? undefined);
  const cooldown = patch.cooldown === undefined ? rule.cooldown : (patch.cooldown ?? undefined);
  const note = patch.note === undefined ? rule.note : (patch.note ?? undefined);
  const next: Rule = {
    ...base,
    revision: rule.revision + 1,
    condition: patch.condition ?? rule.condition,
    unit,
    once: patch.once ?? rule.once,
    expiresAt: patch.expiresAt === undefined ? rule.expiresAt : patch.expiresAt,
    channels: patch.channels === undefined ? rule.channels : [...new Set(patch.channels)],
    enabled: patch.enabled ?? rule.enabled,
    ...(rearm === undefined ? {} : { rearm }),
    ...(cooldown === undefined ? {} : { cooldown }),
    ...(note === undefined ? {} : { note }),
    updatedAt: new Date(deps.now()).toISOString(),
  };
  await deps.stores.rules.update(ruleKey(userId, rule.id), next, revision);
  return next;
}

export async function deleteRule(deps: AccountsDeps, userId: string, ruleId: string): Promise<void> {
  await ownRule(deps, userId, ruleId);
  await deps.stores.rules.delete(ruleKey(userId, ruleId));
}
