## Content feeds: /feed
cmd-feed = Follow an RSS, Atom or JSON feed
help-feed = add &lt;url&gt; [daily HH:MM | every N h] — post a feed's new items here; <code>/feed list</code>, <code>/feed remove 2</code>
feed-usage = 📰 <b>Content feeds</b>: <code>/feed add https://example.com/feed.xml</code> (every hour), <code>/feed add &lt;url&gt; daily 08:00</code> or <code>every 6 h</code>; <code>/feed list</code>; <code>/feed remove &lt;id&gt;</code>. RSS, Atom and JSON Feed; new items are posted here, each once.
feed-added = ✅ Feed #{ $id } added: { $url }, fetched { $desc }. The first fetch is now: the newest few items are posted, the older ones skipped.
feed-removed = 🗑 Feed #{ $id } removed ({ $url }).
feed-list-empty = No feeds yet. Add one with <code>/feed add &lt;url&gt;</code>.
feed-list-title = 📰 <b>Feeds</b> ({ $count }; times in { $tz })
feed-line = <b>#{ $id }</b> { $name } — { $desc }, next { $next }{ $failing ->
        [yes] {" "}⚠️ { $error }
       *[other] {""}
    }
    { $url }
feed-post-title = 📰 <b>{ $title }</b>
feed-failed = ⚠️ Feed #{ $id } ({ $url }) could not be read: { $reason } ({ $detail }). I keep trying on its schedule and say nothing more until it works again.
feed-failed-unreachable = unreachable
feed-failed-not-a-feed = not an RSS, Atom or JSON feed
feed-failed-too-big = too big
feed-failed-blocked = its address is not public
feed-error-url = “{ $url }” is not a feed address: use an http:// or https:// URL.
feed-error-private = { $reason ->
        [unresolved] “{ $host }” cannot be found.
       *[other] “{ $host }” is a private or local address: I only read feeds on the public internet.
    }
feed-error-interval = “{ $value }” is not a feed schedule: use <code>daily HH:MM</code> or <code>every N h</code> (N from 1 to { $max }).
feed-error-not-found = There is no feed #{ $id } in this group.
feed-error-exists = This group follows { $url } already.
feed-error-too-many = A group can follow { $limit } feeds at most: remove one first.
feed-error-not-a-feed = That is not an RSS, Atom or JSON feed.
settings-label-feed_max_items = Feed items per fetch, at most
settings-value-feed_max_items = { $value }
