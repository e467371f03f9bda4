/** `/instruments`: the catalogue, each with its unit and last price. */
import type { CommandContext, Context } from "grammy";
import { formatAmount, formatTime } from "../format.js";
import { say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";
import { timezoneOfChat } from "./price.js";

export function instrumentsCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const all = [...(await rt.accounts.stores.instruments.entries()).values()].map((v) => v.value);
    all.sort((a, b) => a.id.localeCompare(b.id));
    const tz = await timezoneOfChat(rt, ctx);
    const lines = await Promise.all(
      all.map(async (inst) => {
        const last = await rt.prices.last(inst.id);
        const price =
          last === undefined
            ? "no price yet"
            : `${formatAmount(last.price)} on ${formatTime(last.ts, tz).slice(0, 10)}`;
        return `${inst.id} - ${inst.name} (${inst.unit}): ${price}`;
      }),
    );
    await say(
      ctx,
      [`Instruments (${all.length}):`, ...lines, "", "/price <id> for the details, /watch <id> ... for a rule."].join(
        "\n",
      ),
    );
  };
}
