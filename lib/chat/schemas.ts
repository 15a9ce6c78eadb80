import { z } from "zod";
import { isCountryCode } from "./countries";
import { SERVICE_TYPE_IDS } from "./services";
import { text } from "@/lib/validation/text";

export const startChatSchema = z.object({
  country: z
    .string({ message: "Choose a country." })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, { message: "Choose a country from the list." }),
  serviceType: z.enum(SERVICE_TYPE_IDS, { message: "Choose a service." }),
});

export const MAX_MESSAGE_LENGTH = 4000;

export const messageSchema = z.object({
  content: text("Your message contains characters that cannot be sent (control characters). Remove them and try again.", "Write a message.")
    .trim()
    .min(1, { message: "Write a message." })
    .max(MAX_MESSAGE_LENGTH, { message: `Messages can be at most ${MAX_MESSAGE_LENGTH.toLocaleString("en")} characters.` }),
});

export const chatIdSchema = z.uuid();
