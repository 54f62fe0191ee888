## 内容订阅:/feed
cmd-feed = 订阅 RSS 或 JSON 内容源
help-feed = add &lt;网址&gt; [daily HH:MM | every N h] — 把订阅源的新内容发到本群;<code>/feed list</code>,<code>/feed remove 2</code>
feed-usage = 📰 <b>内容订阅</b>:<code>/feed add https://example.com/feed.xml</code>(每小时),<code>/feed add &lt;网址&gt; daily 08:00</code> 或 <code>every 6 h</code>;<code>/feed list</code>;<code>/feed remove &lt;编号&gt;</code>。支持 RSS、Atom 和 JSON Feed;新内容发到本群,每条只发一次。
feed-added = ✅ 已添加订阅 #{ $id }:{ $url },{ $desc }抓取一次。现在先抓取一次:只发最新几条,较早的跳过。
feed-removed = 🗑 已删除订阅 #{ $id }({ $url })。
feed-list-empty = 还没有订阅。用 <code>/feed add &lt;网址&gt;</code> 添加。
feed-list-title = 📰 <b>订阅</b>({ $count } 个;时间为 { $tz })
feed-line = <b>#{ $id }</b> { $name } — { $desc },下次 { $next }{ $failing ->
        [yes] {" "}⚠️ { $error }
       *[other] {""}
    }
    { $url }
feed-post-title = 📰 <b>{ $title }</b>
feed-failed = ⚠️ 订阅 #{ $id }({ $url })读取失败:{ $reason }({ $detail })。我会按计划继续尝试,恢复之前不再提醒。
feed-failed-unreachable = 无法访问
feed-failed-not-a-feed = 不是 RSS、Atom 或 JSON Feed
feed-failed-too-big = 内容太大
feed-failed-blocked = 地址不是公网地址
feed-error-url = “{ $url }”不是订阅地址:请用 http:// 或 https:// 开头的网址。
feed-error-private = { $reason ->
        [unresolved] 找不到“{ $host }”。
       *[other] “{ $host }”是内网或本机地址:我只读取公网上的订阅。
    }
feed-error-interval = “{ $value }”不是有效的抓取计划:请用 <code>daily HH:MM</code> 或 <code>every N h</code>(N 为 1 到 { $max })。
feed-error-not-found = 本群没有订阅 #{ $id }。
feed-error-exists = 本群已经订阅了 { $url }。
feed-error-too-many = 每个群最多订阅 { $limit } 个源:请先删除一个。
feed-error-not-a-feed = 这不是 RSS、Atom 或 JSON Feed。
settings-label-feed_max_items = 每次抓取最多发布条数
settings-value-feed_max_items = { $value }
