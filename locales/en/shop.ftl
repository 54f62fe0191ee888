## The points shop

cmd-shop = Browse the rewards shop
cmd-redeem = Redeem a reward
help-redeem = &lt;number&gt; — redeem a reward (asks you to confirm)
cmd-myrewards = List your redeemed rewards
cmd-reward_add = Add a reward
help-reward_add = &lt;cost&gt; &lt;stock|unlimited&gt; &lt;name&gt; [limit=N] [level=N] [mode=auto|manual|code] — add a reward (a description may follow “ | ”; send it as a photo’s caption, or in reply to a photo, to show that photo)
cmd-reward_edit = Change a reward
help-reward_edit = &lt;number&gt; &lt;cost|stock|limit|level|mode|name|desc&gt; &lt;value&gt; — change a reward
cmd-reward_disable = Take a reward out of the shop
help-reward_disable = &lt;number&gt; — take a reward out of the shop
cmd-reward_enable = Put a reward back in the shop
help-reward_enable = &lt;number&gt; — put a reward back in the shop
cmd-rewards = List every reward with stock and codes
cmd-codes = Add coupon codes to a reward
help-codes = &lt;number&gt;, then one code per line in the same message — add coupon codes
cmd-redemptions = Approve or reject pending redemptions
cmd-reject = Reject a redemption and refund it
help-reject = &lt;id&gt; [reason] — reject a pending redemption; the points are refunded

settings-section-shop = 🛍 <b>Levels</b>
settings-label-level_thresholds = Points for each level
settings-label-level_titles = Level titles
settings-value-level_thresholds = { $value }
settings-value-level_titles = { $value ->
        [default] Newcomer, Regular, Core member, Community star, Legend
       *[other] { $value }
    }

level-title-1 = Newcomer
level-title-2 = Regular
level-title-3 = Core member
level-title-4 = Community star
level-title-5 = Legend
level-title-other = Level { $level }
level-line = 🎖 Level { $level } · { $title }
level-progress = { $bar } { $earned }/{ $next } to level { $level }
level-top = { $bar } top level
badges-line = 🏅 { $badges }
badge-first_checkin = First check-in
badge-streak_7 = 7-day streak
badge-streak_30 = 30-day streak
badge-streak_100 = 100-day streak
badge-first_redemption = First redemption
badge-awarded = 🏅 { $name } earned a badge: { $badge }
level-up = 🎉 { $name } reached level { $level } · { $title }
digest-badge = 🏅 { $name }: { $badge }
digest-level = 🎉 { $name }: level { $level } · { $title }

shop-title = 🛍 <b>Shop</b> — your balance: { $balance } points · level { $level }
shop-empty = The shop is empty for now.
shop-item = <b>#{ $number } { $name }</b> — { $cost } points · { $stock }
shop-stock-left = { $left } left
shop-stock-unlimited = unlimited
shop-item-level = · level { $level }+
shop-item-limit = · { $limit } per member
shop-why-disabled = ⛔ not available
shop-why-sold-out = ⛔ sold out
shop-why-level = ⛔ needs level { $level } (you are { $mine })
shop-why-limit = ⛔ limit reached
shop-why-points = ⛔ you need { $missing } more points
shop-page = Page { $page }/{ $pages }
shop-how = Press a reward or send /redeem &lt;number&gt;.
shop-prev = ◀
shop-next = ▶
shop-button = 🎁 #{ $number } { $name }

shop-confirm = Redeem <b>#{ $number } { $name }</b> for { $cost } points?
    Your balance: { $balance } → { $after }.
shop-confirm-yes = ✅ Confirm
shop-confirm-no = ✖ Cancel
shop-cancelled = Cancelled.
shop-redeemed = ✅ { $name } redeemed <b>#{ $number } { $reward }</b> for { $cost } points. Balance: { $balance }.
shop-redeemed-code = The code is on its way by private message.
shop-redeemed-manual = An administrator will hand it over (request #{ $id }).
shop-redeemed-auto = Enjoy!
shop-already = Already redeemed.
shop-answer-ok = ✅ Redeemed
shop-code-dm = 🎟 Your code for <b>#{ $number } { $reward }</b>: <code>{ $code }</code>
shop-code-link = { $name }, I can't write to you in private yet. Open { $link } to get your code.
shop-claim-ok = Here it is.
shop-low-stock = ⚠️ Admins: only { $left } left of #{ $number } { $name }.
shop-low-codes = ⚠️ Admins: only { $left } unused codes left for #{ $number } { $name }. Add more with /codes { $number }.

shop-added = ✅ Added <b>#{ $number } { $name }</b>: { $cost } points, { $stock }, mode { $mode }{ $limit }{ $level }.
shop-added-codes = Add its codes with /codes { $number } and one code per line below it.
shop-edited = ✅ #{ $number } { $name } changed.
shop-disabled = ⏸ #{ $number } { $name } is out of the shop.
shop-enabled = ▶ #{ $number } { $name } is back in the shop.
shop-admin-item = #{ $number } { $name } — { $cost } points · { $stock } · { $mode }{ $codes }{ $off }
shop-admin-codes = · { $free } codes unused
shop-admin-off = · ⏸ disabled
shop-codes-added = ✅ { $added } codes added to #{ $number } { $name }; { $free } unused now.
shop-codes-duplicates = Refused as duplicates ({ $count }): { $codes }

shop-history-title = 🎁 Your rewards
shop-history-empty = You have not redeemed anything yet. See /shop.
shop-history-item = #{ $number } { $reward } — { $cost } points · { $status } · { $date }{ $code }
shop-history-code = · code <code>{ $code }</code>
shop-status-pending = ⏳ pending
shop-status-fulfilled = ✅ fulfilled
shop-status-rejected = ❌ rejected

shop-pending-title = ⏳ Pending redemptions
shop-pending-empty = No pending redemptions.
shop-pending-item = #{ $id } · { $name } · #{ $number } { $reward } · { $cost } points · { $date }
shop-approve = ✅ #{ $id }
shop-reject = ❌ #{ $id }
shop-decided-approved = ✅ Redemption #{ $id } approved.
shop-decided-rejected = ❌ Redemption #{ $id } rejected; { $cost } points refunded.
shop-member-approved = ✅ Your reward #{ $number } { $reward } (request #{ $id }) was approved.
shop-member-rejected = ❌ Your reward #{ $number } { $reward } (request #{ $id }) was rejected: { $reason }. { $cost } points are back on your balance.
shop-no-reason = no reason given

shop-error-invalid = { $field ->
        [cost] The cost must be a whole number from { $low } to { $high }.
        [stock] The stock must be a whole number from { $low } to { $high }, or “unlimited”.
        [limit] The limit must be a whole number from { $low } to { $high } (0 for none).
        [level] The level must be a whole number from { $low } to { $high }.
        [mode] The mode must be auto, manual or code.
        [name] The name must be 1 to { $high } characters.
        [desc] The description must be at most { $high } characters.
        [code] Codes are up to { $high } characters, without spaces, one per line.
        [field] Change one of: cost, stock, limit, level, mode, name, desc.
        [time] When should it open? For example <code>20:00</code>, <code>8pm</code>, <code>in 10 minutes</code>, <code>tomorrow 9:00</code>, <code>下午3点</code>, <code>30分钟后</code>.
        [flash] Usage: /flash &lt;number&gt; [when], e.g. <code>/flash 3 20:00</code>, <code>/flash 3 in 10 minutes</code>
       *[usage] Usage: /reward_add &lt;cost&gt; &lt;stock|unlimited&gt; &lt;name&gt; [limit=N] [level=N] [mode=auto|manual|code]
    }
shop-error-unknown = There is no reward #{ $number } here. See /shop.
shop-error-disabled = #{ $number } { $name } is not available at the moment.
shop-error-sold-out = Sorry, #{ $number } { $name } just sold out.
shop-error-out-of-codes = #{ $number } { $name } has no codes left right now; an administrator must add some.
shop-error-points = { $name } costs { $cost } points; you have { $balance }.
shop-error-level = { $name } needs level { $need }; you are level { $level }.
shop-error-limit = You have redeemed { $name } { $limit } times already, the most allowed.
shop-error-stale = This confirmation is out of date: #{ $number } { $name } now costs { $cost } points. Ask again with /redeem { $number }.
shop-error-not-code = #{ $number } { $name } is not a code reward (mode=code); it takes no codes.
shop-error-no-codes = Put the codes below the command, one per line: /codes &lt;number&gt;, then the codes.
shop-error-redemption-unknown = There is no redemption #{ $id }.
shop-error-decided = Redemption #{ $id } is { $status } already.
shop-error-not-yours = This button is for the member who asked.
shop-error-claim = This link is not yours, or it has expired.
shop-error-number = Which reward? Send /redeem &lt;number&gt;, for example /redeem 1.

export-redemptions = 📄 Redemptions: { $count } rows (UTF-8 CSV, times in UTC).

shop-panel-how = Set it with the buttons, or /reward_edit { $number } &lt;field&gt; &lt;value&gt;.
shop-panel-mode-auto = Auto
shop-panel-mode-manual = Manual
shop-panel-mode-code = Code
shop-panel-limit = { $limit ->
        [0] No limit
       *[other] { $limit } per member
    }
shop-panel-level = Level { $level }+
shop-panel-disable = ⏸ Disable
shop-panel-enable = ▶ Enable
shop-panel-done = Done
shop-panel-photo = 🖼 Photo
shop-photo-offer = 🖼 A photo for it? Press 🖼 Photo below and send one, or skip it.
shop-photo-kept = 🖼 With the photo you sent.
shop-photo-ask = 🖼 Send the photo of <b>#{ $number } { $name }</b> as a reply to this message, or skip it.
shop-photo-skip = Skip
shop-photo-remove = 🗑 Remove the photo
shop-photo-set = 🖼 #{ $number } { $name } now shows this photo.
shop-panel-saved = Saved.
badge-top3 = Top 3 of { $month }

cmd-flash = Post a flash sale
help-flash = &lt;number&gt; [when] — post a flash sale of a reward, opening at a local time (<code>20:00</code>, <code>in 10 minutes</code>, <code>下午3点</code>)
shop-flash-post = ⚡ <b>Flash sale: #{ $number } { $name }</b>
    { $cost } points · { $stock } · opens at { $opens }
    One per member. Tapping the button redeems it at once: the tap is the confirmation.
shop-flash-button = ⚡ Redeem
shop-flash-ok = ✅ Redeemed
shop-flash-ok-code = ✅ Redeemed — code sent by DM
shop-flash-not-open = Opens at { $opens }
shop-member-mention = { $name }:
settings-label-announce_badges = Badges announced
settings-value-announce_badges = { $value ->
        [group] in the group
        [dm] by private message
       *[off] not announced
    }
shop-flash-sold-out = Sold out
