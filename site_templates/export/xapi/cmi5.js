/* Coursesmith cmi5 launch (the AU side of cmi5's section 8), in the package's launch page before
   assets/xapi.js. Reads endpoint, fetch, actor, registration and activityId from the launch URL,
   POSTs once to the fetch URL for the session's auth token, and reads LMS.LaunchData (context
   template, launch mode, mastery score, return URL, moveOn) from the LMS's State API.
   Nothing here is a credential: the token exists only in this page's memory for this session.
   Defines CoursesmithLaunch.start(): a promise of the launch, or of {problem: "launch" | "connect"}. */
var CoursesmithLaunch = (function () {
  "use strict";
  var XAPI_VERSION = "1.0.3";
  var REQUIRED = ["endpoint", "fetch", "actor", "registration", "activityId"];

  function json(text) { try { return JSON.parse(text); } catch (e) { return null; } }
  function params() {
    var query = new URLSearchParams(location.search), out = {};
    for (var i = 0; i < REQUIRED.length; i++) {
      var value = query.get(REQUIRED[i]);
      if (!value) return null;
      out[REQUIRED[i]] = value;
    }
    out.actor = json(out.actor);
    if (!out.actor || typeof out.actor !== "object") return null;
    if (!/^https?:\/\//i.test(out.endpoint) || !/^https?:\/\//i.test(out.fetch)) return null;
    if (out.endpoint.slice(-1) !== "/") out.endpoint += "/";
    return out;
  }
  function token(url) {
    // cmi5 8.2: one POST, answered with {"auth-token": ...} or {"error-code": ...}.
    return fetch(url, { method: "POST", credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || typeof body["auth-token"] !== "string" || !body["auth-token"]) throw new Error("no token");
        return body["auth-token"];
      });
  }
  function launchData(launch) {
    var url = launch.endpoint + "activities/state?" + new URLSearchParams({
      stateId: "LMS.LaunchData", activityId: launch.activityId,
      agent: JSON.stringify(launch.actor), registration: launch.registration
    }).toString();
    return fetch(url, { headers: launch.headers, credentials: "omit", cache: "no-store" })
      .then(function (response) { if (!response.ok) throw new Error("no launch data"); return response.json(); })
      .then(function (data) {
        if (!data || typeof data !== "object" || !data.contextTemplate) throw new Error("bad launch data");
        return data;
      });
  }
  function start() {
    var launch = params();
    if (!launch) return Promise.resolve({ problem: "launch" });
    return token(launch.fetch).then(function (auth) {
      launch.headers = { "Authorization": "Basic " + auth, "X-Experience-API-Version": XAPI_VERSION };
      return launchData(launch);
    }).then(function (data) {
      var mode = data.launchMode === "Browse" || data.launchMode === "Review" ? data.launchMode : "Normal";
      var mastery = typeof data.masteryScore === "number" && data.masteryScore >= 0 && data.masteryScore <= 1
        ? data.masteryScore : null;
      var back = typeof data.returnURL === "string" && /^https?:\/\//i.test(new URL(data.returnURL, location.href).href)
        ? new URL(data.returnURL, location.href).href : null;
      return {
        cmi5: true, endpoint: launch.endpoint, headers: launch.headers, actor: launch.actor,
        registration: launch.registration, activityId: launch.activityId,
        context: data.contextTemplate, mode: mode, mastery: mastery, returnURL: back,
        moveOn: typeof data.moveOn === "string" ? data.moveOn : null
      };
    }).catch(function () { return { problem: "connect" }; });
  }
  return { start: start, XAPI_VERSION: XAPI_VERSION };
})();
