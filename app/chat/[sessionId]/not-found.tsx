import { NotFoundPanel } from "@/app/_components/not-found-panel";

/** A chat that does not exist, has ended or is someone else's: the same answer, so chats cannot be probed. */
export default function ChatNotFound() {
  return (
    <NotFoundPanel
      title="Chat not found"
      explanation="This chat could not be found. A chat can only be opened by the person who started it."
    />
  );
}
