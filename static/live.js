// Dateline live pages: follows the page's Server-Sent Events stream and puts
// new, edited and deleted posts in place without a reload, and shows the
// breaking-news banner as the newsroom changes it. The page works without this
// script: its "Show new posts" link reloads it. Served from 'self' under a
// content-hashed name; no inline script, no HTML built here from anything but
// the server's own rendering of a post.
(function () {
  "use strict";

  var posts = document.getElementById("live-posts");
  var keyPoints = document.getElementById("key-points");
  var status = document.getElementById("live-status");

  // The announcements in the page's language, from the page itself.
  function said(name, fallback) {
    var text = posts && posts.getAttribute("data-announce-" + name);
    return text || fallback;
  }

  function announce(message) {
    if (!status) return;
    // Cleared first so that the same words twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function postText(element) {
    var paragraph = element.querySelector("p, h2, blockquote");
    var text = paragraph ? paragraph.textContent.trim() : "";
    return text.length > 160 ? text.slice(0, 159) + "\u2026" : text;
  }

  function seqOf(element) {
    return parseInt(element.getAttribute("data-seq") || "0", 10);
  }

  function placePost(data) {
    var element = fromHtml(data.html);
    if (!element) return null;
    var existing = document.getElementById("post-" + data.post);
    if (existing) {
      existing.replaceWith(element);
      return element;
    }
    // Newest first: before the first post published earlier.
    var children = posts.querySelectorAll(".live-post");
    for (var i = 0; i < children.length; i++) {
      if (seqOf(children[i]) < (data.seq || 0)) {
        children[i].before(element);
        return element;
      }
    }
    posts.append(element);
    return element;
  }

  function setKeyPoint(data, element) {
    if (!keyPoints) return;
    var item = document.getElementById("key-" + data.post);
    if (!data.pinned || !element) {
      if (item) item.remove();
      keyPoints.hidden = !keyPoints.querySelector("li");
      return;
    }
    if (!item) {
      item = document.createElement("li");
      item.id = "key-" + data.post;
      var list = keyPoints.querySelector("ul");
      if (list) list.prepend(item);
    }
    var link = document.createElement("a");
    link.href = "#post-" + data.post;
    link.textContent = postText(element);
    item.replaceChildren(link);
    keyPoints.hidden = false;
  }

  function follow(url) {
    var source = new EventSource(url);
    source.addEventListener("publish", function (event) {
      var data = JSON.parse(event.data);
      var element = placePost(data);
      setKeyPoint(data, element);
      if (element) {
        announce(said("new-post", "New post: {text}").split("{text}").join(postText(element)));
      }
    });
    ["edit", "pin", "unpin"].forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        var data = JSON.parse(event.data);
        // Only posts already on the page change; one beyond the newest shown stays out.
        if (!document.getElementById("post-" + data.post) && kind !== "pin") return;
        var element = placePost(data);
        setKeyPoint(data, element);
      });
    });
    source.addEventListener("delete", function (event) {
      var data = JSON.parse(event.data);
      var element = document.getElementById("post-" + data.post);
      if (element) element.remove();
      setKeyPoint({ post: data.post, pinned: false }, null);
    });
    source.addEventListener("end", function (event) {
      source.close();
      var data = JSON.parse(event.data);
      var ended = document.getElementById("live-ended");
      if (ended && data.html !== undefined) {
        var summary = ended.querySelector("p");
        if (summary) summary.innerHTML = data.html;
        ended.hidden = false;
      }
      announce(said("ended", "This live page has ended."));
    });
  }

  function showBanner(data) {
    var banner = document.getElementById("breaking-news");
    if (!data) {
      if (banner) banner.hidden = true;
      return;
    }
    if (!banner) return;
    var link = banner.querySelector("a");
    if (!link) return;
    if (link.textContent !== data.text || link.getAttribute("href") !== data.link) {
      link.textContent = data.text;
      link.setAttribute("href", data.link);
    }
    banner.hidden = false;
  }

  function followBanner(url) {
    var source = new EventSource(url);
    source.addEventListener("banner", function (event) {
      showBanner(JSON.parse(event.data));
    });
  }

  if (!window.EventSource) return;
  var streams = 'link[rel="alternate"][type="text/event-stream"]';
  // Told apart by data-stream, not by their titles, which are in the page's language.
  var stream = document.querySelector(streams + '[data-stream="live"]');
  if (stream && posts) follow(stream.href);
  var bannerStream = document.querySelector(streams + '[data-stream="breaking-news"]');
  if (bannerStream) followBanner(bannerStream.href);
})();
