cmd-atrisk = 查看可能流失的核心成员
example-atrisk = /atrisk 20
help-atrisk = [N] — 未来 7 天最不可能活跃的 N 位(默认 10,最多 50)核心和常规成员、原因,以及模型实测的预测质量

atrisk-title = ⚠️ <b>流失风险 · { $title }</b>
atrisk-intro-model = 未来 7 天最不可能活跃的核心和常规成员(模型预测,数据截至 { $date }):
atrisk-intro-baseline = 按距上次活跃的天数排序的核心和常规成员(基线方法,数据截至 { $date }):
atrisk-none = 目前没有核心或常规成员处于流失风险中。
atrisk-none-scored = 还没有评分:机器人每天评分一次,需要先读取本群的历史数据。
atrisk-chance = 活跃概率 { $percent }%
atrisk-no-chance = 暂无概率
atrisk-bad-limit = 要看多少位?请输入 1 到 { $most } 之间的数字,例如 /atrisk 20
atrisk-no-groups = 你不是我所在任何群的管理员。请在群里使用 /atrisk。
atrisk-choose-group = 哪个群?
atrisk-quality = 📏 在最近 { $weeks } 周的留出数据上实测({ $rows } 个成员周):AUC { $auc }(基线 { $auc_baseline }),Brier 分数 { $brier }(基线 { $brier_baseline })。
atrisk-verdict-model = 模型的排序优于“距上次活跃天数”,因此本列表按模型排序。
atrisk-verdict-baseline = 模型的排序没有优于“距上次活跃天数”,因此本列表按该基线排序。
atrisk-pooled = 模型由所有群的历史数据共同训练(本群数据单独训练还太少)。
atrisk-quality-short = 📏 历史数据还不够,无法如实衡量模型(需要几周的活跃记录):列表按距上次活跃的天数排序。
atrisk-quality-none = 📏 模型尚未训练:记录满一整周的活跃数据后会进行第一次训练。

predict-whois = ⚠️ 未来 7 天活跃概率:{ $percent }%({ $source },{ $date })— { $reasons }
predict-whois-plain = ⚠️ 未来 7 天活跃概率:{ $percent }%({ $source },{ $date })
predict-source-model = 模型预测
predict-source-baseline = 按距上次活跃天数估计

predict-reason-quiet = { $days } 天没有活跃
predict-reason-streak-broken = 连续打卡 { $streak } 天后{ $days ->
        [1] 于昨天中断
       *[other] 已中断 { $days } 天
    }
predict-reason-no-checkin = { $days } 天没有打卡
predict-reason-fading = 每周活跃从 { $before } 天降到 { $now } 天
predict-reason-new = { $days ->
        [0] 今天刚加入
        [1] 昨天加入
       *[other] { $days } 天前加入
    }
predict-reason-streak = 正在连续打卡 { $days } 天
predict-reason-growing = 每周活跃从 { $before } 天升到 { $now } 天
predict-reason-steady = 最近 7 天活跃了 { $days } 天
predict-reason-habit = 每周固定有 { $days } 天会来
