/** `/mute 2h` and `/mute off`: silences alerts to this chat for a while. */
import type { CommandContext, Context } from "grammy";
import { formatTime } from "../format.js";
import { muteChannel, mutedUntil, unmuteChannel } from "../mute-store.js";
import { parseMute } from "../parse/args-parser.js";
import { tokens } from "../parse/parsed.js";
import { requireAccount, say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";

export function muteCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const account = await requireAccount(rt, ctx);
    if (account === undefined) return;
    const { user, channel } = account;
    const stores = rt.accounts.stores;
    const now = rt.now();
    if (tokens(ctx.match).length === 0) {
      const until = await mutedUntil(stores, user.id, channel.id, now);
      return say(
        ctx,
        until === undefined
          ? "Alerts to this chat are not muted. Mute them with e.g. /mute 2h."
          : `Alerts to this chat are muted until ${formatTime(until, user.timezone)}. /mute off ends it.`,
      );
    }
    const parsed = parseMute(ctx.match);
    if (!parsed.ok) return say(ctx, `Sorry: ${parsed.error}.`);
    if (parsed.value === null) {
      await unmuteChannel(stores, channel);
      return say(ctx, "Unmuted: alerts arrive here again.");
    }
    const until = now + parsed.value.ms;
    await muteChannel(stores, channel, until);
    rt.logger.info({ userId: user.id, channelId: channel.id, duration: parsed.value.duration }, "chat muted");
    await say(
      ctx,
      `Muted for ${parsed.value.duration}: no alerts in this chat until ${formatTime(new Date(until).toISOString(), user.timezone)}. /mute off ends it sooner.`,
    );
  };
}
