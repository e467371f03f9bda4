/** IANA timezones, checked against the zones the runtime knows: for users, instruments and feeds. */
import { z } from "zod";

export const TimezoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "an IANA timezone such as Asia/Shanghai or Europe/Berlin");
