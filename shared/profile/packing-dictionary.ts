/**
 * The preset dictionary profiles are packed with (packing.ts): the JSON a profile is made of —
 * key names, stage names, common values — so that even the first occurrence of each compresses.
 * DEFLATE prefers matches near the end of the dictionary: the most common text comes last.
 *
 * Never edit this text: stored profiles can only be read with the dictionary they were packed
 * with. A better dictionary is a new version with its own marker byte in packing.ts.
 */
export const PROFILE_DICTIONARY_V1 = [
  '"subscription":{"plan":"","status":"cancelled","active","at":"',
  '"surveys":{"csat":{"surveyId":"","score":5,"at":"","nps":{"surveyId":"","score":10,"at":"',
  '"usage":{"days":{"from":"","quantities":[0,0,0,1,1,2]},"activations":1,"activatedProducts":[],"milestones":["activated","active-3-days","power-user"],"declining":false},',
  '"orderHistory":{"firstAt":"","lastAt":"","recentAt":[],"byCurrency":{"USD":1,"KRW":1,"EUR":1},"products":[],"lastItems":[{"productId":"p-","name":""}]},',
  '"recentViews":["p-"],"engagement":{"points":,"at":"',
  '"interests":{"furniture":{"score":1,"at":"","lighting":{"score":2,"at":""}},',
  '"lastStageChange":{"from":"research","reason":"","by":""},',
  '"attribution":{"first":{"channel":"signup-form","campaign":"","source":"","medium":"social","at":""},"last":{"channel":"newsletter","campaign":"","source":"","medium":"email","at":""}},',
  '"mergedInto":"","mergedFrom":[],"returnStage":"use","support":{"open":[],"resolved":["r-"]},',
  '"fieldsAt":{"email":"","name":"","locale":"","timezone":"","attr.firstName":"","attr.churnRisk":"","attr.rfmSegment":"",',
  '"consent":{"email":{"all":{"subscribed":false,"at":""},"topics":{"newsletter":{"subscribed":true,"at":""},"offers":{"subscribed":true,"at":""},"surveys":{"subscribed":true,"at":""}}}},',
  '"scores":{"engagement":,"nps":,"csat":},"revenue":{"EUR":},',
  '"counters":{"events":1,"orders":0,"supportRequests":0},',
  '"attributes":{"firstName":"","churnRisk":false,"rfm":"","rfmSegment":"champions","loyal","potential","at-risk","hibernating","lost","loyaltyTier":"gold"},',
  '"stage":"discover","stage":"research","stage":"buy","stage":"support","stage":"retain","stage":"use","stageSince":"',
  '"email":"@gmail.com","name":"","locale":"ko-KR","en-US","timezone":"Asia/Seoul","Europe/","America/',
  '{"customerId":"c-","version":1,"identified":true,"anonymousIds":[],"recentEvents":[],"firstSeenAt":"2026-","lastActivityAt":"2026-","updatedAt":"2026-',
  'T00:00:00Z","T00:00:00.000Z","',
].join('');

/**
 * Version 2, for the part of a profile that stays packed once its readable fields are attributes of
 * their own (profile-item.ts): derived data, bookkeeping, the stage-change reasons — and last, the
 * packed fields in the order a profile lists them.
 */
export const PROFILE_DICTIONARY_V2 = [
  '"returnStage":"use","consentNoticeAt":"","mergedInto":"","csat":{"surveyId":"","score":5,"at":"',
  '"reason":"new customer; started researching","started buying","started using what they bought","reached a renewal decision",',
  '"gave feedback as an established customer","asked for help","last support request resolved; back to ","merged with earlier activity that had reached ",',
  '(product.viewed)","(cart.updated)","(checkout.started)","(order.placed)","(product.activated)","(subscription.renewed)","(survey.responded)","',
  '"attr.firstName":"","attr.churnRisk":"","attr.rfmSegment":"","attr.loyaltyTier":"","lighting":{"score":2,"at":"","furniture":{"score":1,"at":"',
  '{"identified":true,"anonymousIds":["anon:"],"stageSince":"2026-","firstSeenAt":"2026-","lastActivityAt":"2026-",',
  '"support":{"open":[],"resolved":["r-"]},"fieldsAt":{"email":"","name":"","locale":"","timezone":""},"recentEvents":["',
  '"],"mergedFrom":["anon:","email:"],"updatedAt":"2026-","interests":{"":{"score":1,"at":""}},"engagement":{"points":1,"at":"","recentViews":["p-"],',
  '"lastStageChange":{"from":"discover","research","buy","use","support","retain","reason":"","by":""},',
  '"orderHistory":{"firstAt":"","lastAt":"","recentAt":[""],"byCurrency":{"USD":1,"KRW":1,"EUR":1},"products":["p-"],"lastItems":[{"productId":"p-","name":""}]},',
  '"usage":{"days":{"from":"","quantities":[0,0,0,1,1,2]},"activations":1,"activatedProducts":["p-"],"milestones":["activated","active-3-days","power-user"],"declining":false},',
  '"surveys":{"nps":{"surveyId":"nps-","score":10,"at":"',
  'T00:00:00Z","T00:00:00.000Z"}}}',
].join('');
