// The test project sees web/'s ambient typings for @xmpp/client (xmpp.js ships none).
/// <reference path="../../web/src/model/xmpp/xmpp.d.ts" />
