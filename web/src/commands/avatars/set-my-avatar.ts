/**
 * Use case "set my avatar": publish the (already resized) image as Conversations does, XEP-0084 data
 * first and then its metadata (IqGenerator.publishAvatar / publishAvatarMetadata, open access model),
 * then the same image as my vCard-temp PHOTO (XEP-0153), for clients that read only vCards.
 */
import type { Command } from "../../app/facade";
import { announce, show, shownIndex } from "../../model/avatars/avatar-choice";
import {
  base64ToBytes,
  publishAvatarData,
  publishAvatarMetadata,
  sha1Hex,
  vcardGet,
  vcardSetPhoto,
} from "../../model/stanzas/avatar-requests";

const TYPES = new Set(["image/png", "image/jpeg"]);
/** XEP-0084 §7: recommended at most 192×192; bigger than this is refused. */
const MAX_SIDE = 192;

export const setMyAvatar: Command<"SET_MY_AVATAR"> = async (image, { model, facade }) => {
  const { xmpp, avatars, device } = model;
  const bytes = base64ToBytes(image.base64);
  if (!bytes || !TYPES.has(image.type)) throw new Error("The avatar must be a PNG or JPEG image.");
  if (image.width > MAX_SIDE || image.height > MAX_SIDE || image.width < 1 || image.height < 1)
    throw new Error(`The avatar must be at most ${MAX_SIDE}×${MAX_SIDE} pixels.`);
  const hash = await sha1Hex(bytes);
  await xmpp.request(publishAvatarData(hash, image.base64));
  await xmpp.request(
    publishAvatarMetadata({ hash, bytes: bytes.length, width: image.width, height: image.height, type: image.type }),
  );
  const card = await xmpp.request(vcardGet()).catch(() => null);
  await xmpp.request(vcardSetPhoto(card, { type: image.type, base64: image.base64 }));
  const me = xmpp.bare;
  announce(avatars, me, hash, "pep");
  await (await avatars.cache()).putImage(hash, { type: image.type, base64: image.base64 });
  show(avatars, me, hash, { type: image.type, base64: image.base64 });
  if (device.account) await (await avatars.cache()).putIndex(device.account, shownIndex(avatars));
  await facade.send("CONTACT_DONE", { command: "SET_MY_AVATAR", message: "Your avatar is set." });
};
