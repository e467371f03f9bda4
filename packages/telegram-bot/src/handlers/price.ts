/** `/price PRND_OXIDE`: the last price with its unit, time and source. */
import type { CommandContext, Context } from "grammy";
import { formatAmount, formatTime } from "../format.js";
import { parsePriceArgs } from "../parse/args-parser.js";
import { accountOfChat, chatIdOf, say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";

/** Times are shown in the account's timezone, or UTC for a chat that is not linked. */
export async function timezoneOfChat(rt: BotRuntime, ctx: Context): Promise<string> {
  const chatId = chatIdOf(ctx);
  const account = chatId === undefined ? undefined : await accountOfChat(rt, chatId);
  return account?.user.timezone ?? "UTC";
}

export function priceCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const id = parsePriceArgs(ctx.match);
    if (!id.ok) return say(ctx, `Sorry: ${id.error}.`);
    const instrument = await rt.accounts.stores.instruments.get(id.value);
    if (instrument === undefined) return say(ctx, `I don't know the instrument ${id.value}. /instruments lists them.`);
    const last = await rt.prices.last(id.value);
    if (last === undefined) return say(ctx, `No price for ${id.value} yet (${instrument.value.name}).`);
    const tz = await timezoneOfChat(rt, ctx);
    await say(
      ctx,
      [
        `${id.value}: ${formatAmount(last.price)} ${last.unit}`,
        instrument.value.name,
        `at ${formatTime(last.ts, tz)}, source ${last.source}`,
      ].join("\n"),
    );
  };
}
