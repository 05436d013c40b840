package index

// Synonym groups of the field: words that news about diplomacy uses for
// the same thing, so that "who is heading china's team" finds "a Chinese
// delegation led by". Each group is expanded at query time; a match by
// another word of a group counts as a synonym match, which the ranking
// weighs with its own fitted weight. Irregular verb forms are listed so
// that stemming, which cannot join "led" and "lead", still does.
var synonymGroups = [][]string{
	// events
	{"summit", "meeting", "meet", "talks", "negotiations", "conference", "session", "round", "met"},
	{"negotiations", "talks", "discussions", "negotiating"},
	{"ceasefire", "truce", "armistice", "pause", "cessation"},
	{"agreement", "deal", "accord", "pact", "treaty", "agree", "agreed"},
	{"sanctions", "penalties", "restrictions", "measures"},
	{"blacklist", "list", "listings", "sanction"},
	{"complaint", "case", "challenge", "dispute"},
	{"rule", "ruling", "verdict", "decision", "report", "judgment", "judgement"},
	{"election", "vote", "ballot", "poll"},
	{"attack", "strike", "assault", "raid"},
	{"weapons", "arms", "munitions"},
	// actions
	{"swap", "exchange", "swapping", "trade"},
	{"cede", "surrender", "concede", "relinquish", "hand over", "give up"},
	{"lead", "led", "head", "headed", "heading", "chair", "chaired", "leads"},
	{"resume", "reconvene", "restart", "reopen", "return"},
	{"postpone", "delay", "reschedule", "push back", "pushed back", "put off"},
	{"cancel", "scrap", "call off", "abandon"},
	{"collapse", "collapsed", "fail", "failed", "flop", "founder", "fall apart", "break down", "broke down", "breakdown"},
	{"approve", "adopt", "endorse", "ratify", "sign off"},
	{"threaten", "threatened", "warn", "warned"},
	{"host", "hosting", "venue", "hold", "held"},
	{"establish", "establishment", "create", "set up", "launch", "form"},
	{"finish", "complete", "conclude", "finalise", "finalize", "wrap up", "end"},
	{"want", "aim", "seek", "sought", "goal", "demand", "wish", "hope"},
	{"start", "begin", "began", "open", "kick off", "commence"},
	{"leave", "left", "exit", "withdraw", "withdrew", "withdrawal", "pull out"},
	{"join", "accede", "sign up", "enter"},
	{"say", "said", "tell", "told", "state", "stated"},
	{"win", "won", "victory"},
	{"accuse", "accused", "allege", "alleged", "blame", "blamed", "complaint", "complain", "charge"},
	{"arrive", "arrival", "reach", "land", "travel", "travelled", "come"},
	{"mediate", "mediation", "mediator", "broker", "brokered", "facilitate"},
	{"send", "sent", "deploy", "dispatch"},
	{"bring", "brought", "file", "filed", "lodge", "lodged"},
	{"take", "took"},
	{"give", "gave"},
	{"go", "went"},
	{"choose", "chose", "pick", "select"},
	{"speak", "spoke"},
	{"seize", "capture", "occupy", "annex", "take over"},
	{"expel", "expelled", "oust"},
	// things and people
	{"territory", "land", "region", "area"},
	{"delegation", "team", "negotiators", "envoys", "delegates"},
	{"odds", "chance", "probability", "likelihood", "likely"},
	{"oil", "crude", "petroleum"},
	{"price", "cost", "value"},
	{"ships", "vessels", "tankers", "boats", "fleet"},
	{"troops", "soldiers", "forces", "military"},
	{"adviser", "advisor", "aide", "counsellor", "counselor"},
	{"ambassador", "envoy", "emissary"},
	{"spokesperson", "spokesman", "spokeswoman"},
	{"leader", "president", "premier", "head of state"},
	{"minister", "secretary"},
	{"city", "capital", "town"},
	{"country", "nation", "state"},
	{"money", "funds", "funding", "finance", "aid"},
	{"border", "frontier", "crossing"},
	{"why", "reason", "because", "aim"},
	{"peacekeepers", "peacekeeping"},
	// places and their people, capitals standing for governments
	{"ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"},
	{"russia", "russian", "russians", "moscow", "kremlin"},
	{"china", "chinese", "beijing"},
	{"america", "american", "americans", "washington", "us", "usa", "u.s.", "u.s.a.", "united states"},
	{"britain", "british", "uk", "u.k.", "united kingdom", "london", "downing"},
	{"europe", "european", "eu", "e.u.", "european union", "brussels"},
	{"france", "french", "paris"},
	{"germany", "german", "berlin"},
	{"japan", "japanese", "tokyo"},
	{"india", "indian", "delhi"},
	{"iran", "iranian", "tehran"},
	{"israel", "israeli", "jerusalem"},
	{"turkey", "turkish", "ankara", "türkiye"},
	{"qatar", "qatari", "doha"},
	{"oman", "omani", "muscat"},
	{"sudan", "sudanese", "khartoum"},
	{"vietnam", "vietnamese", "hanoi"},
	{"philippines", "philippine", "filipino", "manila"},
	{"indonesia", "indonesian", "jakarta"},
	{"ecuador", "ecuadorian", "quito"},
	{"egypt", "egyptian", "cairo"},
	{"saudi", "riyadh"},
	{"syria", "syrian", "damascus"},
	{"pakistan", "pakistani", "islamabad"},
	{"korea", "korean", "seoul", "pyongyang"},
	{"poland", "polish", "warsaw"},
	{"italy", "italian", "rome"},
	{"spain", "spanish", "madrid"},
	{"canada", "canadian", "ottawa"},
	{"brazil", "brazilian", "brasilia"},
	{"mexico", "mexican"},
	{"australia", "australian", "canberra"},
	{"nigeria", "nigerian", "abuja"},
	{"kenya", "kenyan", "nairobi"},
	{"ethiopia", "ethiopian", "addis"},
	{"somalia", "somali", "mogadishu"},
	{"yemen", "yemeni", "sanaa"},
	{"iraq", "iraqi", "baghdad"},
	{"afghanistan", "afghan", "kabul"},
	{"georgia", "georgian", "tbilisi"},
	{"armenia", "armenian", "yerevan"},
	{"azerbaijan", "azerbaijani", "baku"},
	{"serbia", "serbian", "belgrade"},
	{"greece", "greek", "athens"},
	{"cyprus", "cypriot", "nicosia"},
	{"norway", "norwegian", "oslo"},
	{"sweden", "swedish", "stockholm"},
	{"finland", "finnish", "helsinki"},
	{"denmark", "danish", "copenhagen"},
	{"netherlands", "dutch", "hague"},
	{"switzerland", "swiss", "bern", "geneva"},
	{"austria", "austrian", "vienna"},
	{"hungary", "hungarian", "budapest"},
	{"belarus", "belarusian", "minsk"},
	{"venezuela", "venezuelan", "caracas"},
	{"colombia", "colombian", "bogota"},
	{"argentina", "argentine", "argentinian"},
	{"lebanon", "lebanese", "beirut"},
	{"palestine", "palestinian", "palestinians"},
	{"libya", "libyan", "tripoli"},
	{"taiwan", "taiwanese", "taipei"},
	{"thailand", "thai", "bangkok"},
	{"nato", "alliance"},
	{"un", "u.n.", "united nations"},
	{"wto", "world trade organization"},
}

// phraseSynonyms holds the multi-word entries of synonymGroups, keyed by
// the phrase, so that a question's "hand over" is read as one word.
var phraseSynonyms = func() map[string][]int {
	m := map[string][]int{}
	for gi, g := range synonymGroups {
		for _, w := range g {
			if containsSpace(w) {
				m[w] = append(m[w], gi)
			}
		}
	}
	return m
}()

func containsSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return true
		}
	}
	return false
}
