/** The bot's commands, for Telegram's command menu (`setMyCommands`) and `/help`. */
export const BOT_COMMANDS = [
  { command: "start", description: "Link this chat: /start <code>" },
  { command: "watch", description: "New rule: /watch PRND_OXIDE above 450000" },
  { command: "list", description: "Your rules with their ids" },
  { command: "pause", description: "Pause a rule: /pause <id>" },
  { command: "resume", description: "Resume a paused rule: /resume <id>" },
  { command: "delete", description: "Delete a rule: /delete <id>" },
  { command: "price", description: "Last price: /price PRND_OXIDE" },
  { command: "instruments", description: "What you can watch" },
  { command: "quiet", description: "Quiet hours: /quiet 22:00-07:00 or /quiet off" },
  { command: "mute", description: "Silence alerts here: /mute 2h or /mute off" },
  { command: "help", description: "What the bot understands" },
] as const;
