-- Test only, loaded on a MUC component by end-to-end tests: forgets an occupant without telling anyone,
-- as a room loses an occupant whose server link was cut (XEP-0410 §1, the case self-ping finds):
--   <iq type='set' to='room@service'><drop xmlns='urn:porthole:test:silent-drop' nick='alice'/></iq>
-- and cuts a user's client connections without closing their streams, as a network drop does (their
-- sessions hibernate and can be resumed, XEP-0198):
--   <iq type='set' to='room@service'><cut xmlns='urn:porthole:test:silent-drop' user='alice@localhost'/></iq>
-- Prosody 0.12's room keeps its occupants in room._occupants (by occupant JID) and room._jid_nick
-- (real JID → occupant JID), muc.lib.lua save_occupant; both are cleared, no presence is sent.
local st = require "util.stanza";
local mod_muc = module:depends("muc");
local get_room_from_jid = rawget(mod_muc, "get_room_from_jid");

module:hook("iq-set/bare/urn:porthole:test:silent-drop:drop", function(event)
	local origin, stanza = event.origin, event.stanza;
	local room = get_room_from_jid(stanza.attr.to);
	local nick = stanza.tags[1].attr.nick or "";
	local occupant = room and room:get_occupant_by_nick(room.jid .. "/" .. nick);
	if not occupant then
		origin.send(st.error_reply(stanza, "cancel", "item-not-found"));
		return true;
	end
	for real_jid in occupant:each_session() do
		room._jid_nick[real_jid] = nil;
	end
	room._occupants[occupant.nick] = nil;
	module:log("info", "silently dropped %s", occupant.nick);
	origin.send(st.reply(stanza));
	return true;
end, 10);

module:hook("iq-set/bare/urn:porthole:test:silent-drop:cut", function(event)
	local origin, stanza = event.origin, event.stanza;
	local user = stanza.tags[1].attr.user or "";
	local cut = 0;
	for _, session in pairs(prosody.full_sessions) do
		if session.username and (session.username .. "@" .. session.host) == user and session.conn then
			session.conn:close();
			cut = cut + 1;
		end
	end
	module:log("info", "cut %d connection(s) of %s", cut, user);
	origin.send(st.reply(stanza));
	return true;
end, 10);
