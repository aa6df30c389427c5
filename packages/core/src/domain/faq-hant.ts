/**
 * Traditional → simplified Chinese, one character at a time, for the words buyers use with a shop's
 * support: logistics (包裹 運單 順豐), money (退款 帳戶 運費險), after-sales (退貨 換貨 維修), the
 * question words around them (這個 還沒 怎麼 嗎) and address parts (區 縣 鎮 樓).
 *
 * Why a hand-picked table and not a converter library: OpenCC's dictionaries are megabytes, and the
 * FAQ index ships in the browser widget. Search only needs both sides folded the same way, so a
 * character map is enough — word-level differences (網路 vs 网络 as words, 資訊 vs 信息) are left to
 * FAQ keywords. The pairs were taken from OpenCC's t→cn mapping over a commerce-support vocabulary
 * and checked by hand: each traditional character maps to one simplified character, and no
 * simplified character is itself rewritten, so folding is idempotent. 帐 (a legal simplified variant)
 * is folded to 账 as well, so 帳戶 / 帐户 / 账户 meet.
 *
 * 336 pairs: 672 characters, about 2 KB of UTF-8 before compression.
 */
const PAIRS =
  '麼么遞递裡里裏里沒没員员電电話话籤签驛驿點点櫃柜丟丢損损發发錯错貨货顯显運运單单號号順顺豐丰圓圆韻韵達达郵邮東东極极轉转' +
  '關关稅税國国際际費费險险誰谁遠远區区時时幾几間间現现預预補补後后閉闭訂订詳详寫写機机碼码聯联門门細细編编僅仅換换無无賬账' +
  '錢钱進进敗败絕绝請请務务傳传憑凭證证圖图視视頻频質质問问題题對对適适歡欢開开維维價价優优紅红滿满減减積积會会動动贈赠禮礼' +
  '裝装鮮鲜數数虛虚擬拟錄录冊册綁绑銀银寶宝唄呗餘余額额復复貴贵嗎吗議议庫库規规顏颜說说説说書书壞坏異异過过產产訴诉舉举報报' +
  '評评曬晒親亲謝谢煩烦幫帮處处決决為为爲为辦办個个這这還还經经應应該该馬马盡尽節节營营業业鍾钟實实體体線线倉仓從从賣卖買买' +
  '臺台鋪铺艦舰專专權权團团購购語语簡简戶户隱隐驗验網网頁页鏈链掃扫腦脑軟软統统設设選选擇择確确認认刪删車车薦荐熱热殺杀搶抢' +
  '約约償偿賠赔種种擔担褲裤妝妆護护膚肤溼湿濕湿紙纸隊队態态饋馈見见條条長长寬宽輕轻舊旧讓让們们張张讀读記记邊边頭头風风氣气' +
  '試试檢检測测場场廠厂廳厅淨净幹干髒脏爛烂齊齐夠够則则協协據据攝摄標标輸输載载組组續续斷断連连級级別别類类樣样藍蓝帶带樓楼' +
  '層层園园縣县鄉乡鎮镇灣湾蘇苏錫锡內内寧宁衛卫衞卫審审駁驳誤误閃闪總总來来隨随剛刚當当遲迟準准兒儿著着給给與与卻却並并雖虽' +
  '論论於于結结參参諮咨詢询釋释銷销兌兑計计變变脫脱膠胶絡络調调貓猫遺遗攬揽暫暂滯滞攔拦衝冲廢废賒赊況况貝贝範范圍围雙双凍冻' +
  '隻只週周麵面麪面係系繫系複复帳账錶表鬆松纔才啟启綫线乾干髮发檯台颱台鐘钟儘尽傢家謂谓麗丽邏逻輯辑覺觉讚赞雜杂濟济資资訊讯' +
  '蓋盖貼贴盜盗騙骗詐诈帐账';
/** Number of traditional characters the table folds. */
export const HANT_PAIR_COUNT = PAIRS.length / 2;

let table: Map<string, string> | undefined;

/** The table as a map, built on first use (importing this module has no cost and no side effect). */
export function hantTable(): ReadonlyMap<string, string> {
  if (!table) {
    table = new Map();
    for (let i = 0; i + 1 < PAIRS.length; i += 2) table.set(PAIRS[i]!, PAIRS[i + 1]!);
  }
  return table;
}

const MAYBE_HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;

/**
 * Folds the traditional characters of `text` that matter for shop support to simplified ones;
 * every other character is kept as it is.
 *
 * @example
 * toSimplified('包裹到哪裡了？運費險') // '包裹到哪里了？运费险'
 */
export function toSimplified(text: string): string {
  if (!MAYBE_HAN.test(text)) return text;
  const map = hantTable();
  let out = '';
  for (const ch of text) out += map.get(ch) ?? ch;
  return out;
}
