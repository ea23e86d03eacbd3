/* Coursesmith xAPI (Tin Can) launch, the way Rustici's launch guidelines describe it and LMSs
   such as Docebo, LearnUpon and Absorb follow: endpoint, auth, actor, registration and
   activity_id arrive in the launch URL's query string. The package holds no credential: "auth"
   is the LMS's, for this launch, and lives only in this page's memory.
   Defines CoursesmithLaunch.start(): a promise of the launch, or of {problem: "launch"}. */
var CoursesmithLaunch = (function () {
  "use strict";
  var XAPI_VERSION = "1.0.3";

  function json(text) { try { return JSON.parse(text); } catch (e) { return null; } }
  /* Older LMSs send a TCAPI 0.95 actor ({"name": ["..."], "mbox": ["mailto:..."]}). */
  function agent(actor) {
    if (!actor || typeof actor !== "object") return null;
    var out = { objectType: "Agent" };
    ["name", "mbox", "mbox_sha1sum", "openid", "account"].forEach(function (key) {
      var value = Array.isArray(actor[key]) ? actor[key][0] : actor[key];
      if (value) out[key] = value;
    });
    if (out.account && out.account.accountServiceHomePage && !out.account.homePage) {
      out.account = { homePage: out.account.accountServiceHomePage, name: out.account.accountName };
    }
    return out.mbox || out.mbox_sha1sum || out.openid || (out.account && out.account.name) ? out : null;
  }
  function start(defaults) {
    var query = new URLSearchParams(location.search);
    var endpoint = query.get("endpoint") || "", auth = query.get("auth") || "";
    var actor = agent(json(query.get("actor")));
    if (!/^https?:\/\//i.test(endpoint) || !auth || !actor) return Promise.resolve({ problem: "launch" });
    if (endpoint.slice(-1) !== "/") endpoint += "/";
    var registration = query.get("registration");
    return Promise.resolve({
      cmi5: false, endpoint: endpoint, actor: actor,
      headers: { "Authorization": auth, "X-Experience-API-Version": XAPI_VERSION },
      registration: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(registration || "") ? registration : null,
      activityId: query.get("activity_id") || defaults.activity,
      context: {}, mode: "Normal", mastery: null, returnURL: null, moveOn: null
    });
  }
  return { start: start, XAPI_VERSION: XAPI_VERSION };
})();
