package index

// Synonym groups of the field: words that news about diplomacy uses for
// the same thing, so that "who is heading china's team" finds "a Chinese
// delegation led by". Each group is expanded at query time; a question word
// matches its own stem fully and the others of its groups at the group's
// weight. Irregular verb forms are listed so that stemming, which cannot
// join "led" and "lead", still does.
var synonymGroups = []struct {
	weight float64
	words  []string
}{
	// events
	{0.8, []string{"summit", "meeting", "meet", "talks", "negotiations", "conference", "session", "round", "met"}},
	{0.8, []string{"negotiations", "talks", "discussions", "negotiating"}},
	{0.8, []string{"ceasefire", "truce", "armistice", "pause", "cessation"}},
	{0.8, []string{"agreement", "deal", "accord", "pact", "treaty", "agree", "agreed"}},
	{0.8, []string{"sanctions", "penalties", "restrictions", "measures"}},
	{0.8, []string{"blacklist", "list", "listings", "sanction"}},
	{0.8, []string{"complaint", "case", "challenge", "dispute"}},
	{0.8, []string{"rule", "ruling", "verdict", "decision", "report", "judgment", "judgement"}},
	{0.8, []string{"election", "vote", "ballot", "poll"}},
	{0.8, []string{"attack", "strike", "assault", "raid"}},
	{0.8, []string{"weapons", "arms", "munitions"}},
	// actions
	{0.8, []string{"swap", "exchange", "swapping", "trade"}},
	{0.8, []string{"cede", "surrender", "concede", "relinquish", "hand over", "give up"}},
	{0.8, []string{"lead", "led", "head", "headed", "heading", "chair", "chaired", "leads"}},
	{0.8, []string{"resume", "reconvene", "restart", "reopen", "return"}},
	{0.8, []string{"postpone", "delay", "reschedule", "push back", "pushed back", "put off"}},
	{0.8, []string{"cancel", "scrap", "call off", "abandon"}},
	{0.8, []string{"collapse", "collapsed", "fail", "failed", "flop", "founder", "fall apart", "break down", "broke down", "breakdown"}},
	{0.8, []string{"approve", "adopt", "endorse", "ratify", "sign off"}},
	{0.8, []string{"threaten", "threatened", "warn", "warned"}},
	{0.8, []string{"host", "hosting", "venue", "hold", "held"}},
	{0.8, []string{"establish", "establishment", "create", "set up", "launch", "form"}},
	{0.8, []string{"finish", "complete", "conclude", "finalise", "finalize", "wrap up", "end"}},
	{0.8, []string{"want", "aim", "seek", "sought", "goal", "demand", "wish", "hope"}},
	{0.8, []string{"start", "begin", "began", "open", "kick off", "commence"}},
	{0.8, []string{"leave", "left", "exit", "withdraw", "withdrew", "withdrawal", "pull out"}},
	{0.8, []string{"join", "accede", "sign up", "enter"}},
	{0.8, []string{"say", "said", "tell", "told", "state", "stated"}},
	{0.8, []string{"win", "won", "victory"}},
	{0.8, []string{"accuse", "accused", "allege", "alleged", "blame", "blamed", "complaint", "complain", "charge"}},
	{0.8, []string{"arrive", "arrival", "reach", "land", "travel", "travelled", "come"}},
	{0.8, []string{"mediate", "mediation", "mediator", "broker", "brokered", "facilitate"}},
	{0.8, []string{"send", "sent", "deploy", "dispatch"}},
	{0.8, []string{"bring", "brought", "file", "filed", "lodge", "lodged"}},
	{0.8, []string{"take", "took"}},
	{0.8, []string{"give", "gave"}},
	{0.8, []string{"go", "went"}},
	{0.8, []string{"choose", "chose", "pick", "select"}},
	{0.8, []string{"speak", "spoke"}},
	{0.8, []string{"seize", "capture", "occupy", "annex", "take over"}},
	{0.8, []string{"expel", "expelled", "oust"}},
	// things and people
	{0.8, []string{"territory", "land", "region", "area"}},
	{0.8, []string{"delegation", "team", "negotiators", "envoys", "delegates"}},
	{0.8, []string{"odds", "chance", "probability", "likelihood", "likely"}},
	{0.8, []string{"oil", "crude", "petroleum"}},
	{0.8, []string{"price", "cost", "value"}},
	{0.8, []string{"ships", "vessels", "tankers", "boats", "fleet"}},
	{0.8, []string{"troops", "soldiers", "forces", "military"}},
	{0.8, []string{"adviser", "advisor", "aide", "counsellor", "counselor"}},
	{0.8, []string{"ambassador", "envoy", "emissary"}},
	{0.8, []string{"spokesperson", "spokesman", "spokeswoman"}},
	{0.8, []string{"leader", "president", "premier", "head of state"}},
	{0.8, []string{"minister", "secretary"}},
	{0.8, []string{"city", "capital", "town"}},
	{0.8, []string{"country", "nation", "state"}},
	{0.8, []string{"money", "funds", "funding", "finance", "aid"}},
	{0.8, []string{"border", "frontier", "crossing"}},
	{0.8, []string{"why", "reason", "because", "aim"}},
	{0.8, []string{"peacekeepers", "peacekeeping"}},
	// places and their people, capitals standing for governments
	{0.9, []string{"ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"}},
	{0.9, []string{"russia", "russian", "russians", "moscow", "kremlin"}},
	{0.9, []string{"china", "chinese", "beijing"}},
	{0.9, []string{"america", "american", "americans", "washington", "us", "usa", "u.s.", "u.s.a."}},
	{0.9, []string{"britain", "british", "uk", "u.k.", "london", "downing"}},
	{0.9, []string{"europe", "european", "eu", "e.u.", "brussels"}},
	{0.9, []string{"france", "french", "paris"}},
	{0.9, []string{"germany", "german", "berlin"}},
	{0.9, []string{"japan", "japanese", "tokyo"}},
	{0.9, []string{"india", "indian", "delhi"}},
	{0.9, []string{"iran", "iranian", "tehran"}},
	{0.9, []string{"israel", "israeli", "jerusalem"}},
	{0.9, []string{"turkey", "turkish", "ankara", "türkiye"}},
	{0.9, []string{"qatar", "qatari", "doha"}},
	{0.9, []string{"oman", "omani", "muscat"}},
	{0.9, []string{"sudan", "sudanese", "khartoum"}},
	{0.9, []string{"vietnam", "vietnamese", "hanoi"}},
	{0.9, []string{"philippines", "philippine", "filipino", "manila"}},
	{0.9, []string{"indonesia", "indonesian", "jakarta"}},
	{0.9, []string{"ecuador", "ecuadorian", "quito"}},
	{0.9, []string{"egypt", "egyptian", "cairo"}},
	{0.9, []string{"saudi", "riyadh"}},
	{0.9, []string{"syria", "syrian", "damascus"}},
	{0.9, []string{"pakistan", "pakistani", "islamabad"}},
	{0.9, []string{"korea", "korean", "seoul", "pyongyang"}},
	{0.9, []string{"poland", "polish", "warsaw"}},
	{0.9, []string{"italy", "italian", "rome"}},
	{0.9, []string{"spain", "spanish", "madrid"}},
	{0.9, []string{"canada", "canadian", "ottawa"}},
	{0.9, []string{"brazil", "brazilian", "brasilia"}},
	{0.9, []string{"mexico", "mexican"}},
	{0.9, []string{"australia", "australian", "canberra"}},
	{0.9, []string{"nigeria", "nigerian", "abuja"}},
	{0.9, []string{"kenya", "kenyan", "nairobi"}},
	{0.9, []string{"ethiopia", "ethiopian", "addis"}},
	{0.9, []string{"somalia", "somali", "mogadishu"}},
	{0.9, []string{"yemen", "yemeni", "sanaa"}},
	{0.9, []string{"iraq", "iraqi", "baghdad"}},
	{0.9, []string{"afghanistan", "afghan", "kabul"}},
	{0.9, []string{"georgia", "georgian", "tbilisi"}},
	{0.9, []string{"armenia", "armenian", "yerevan"}},
	{0.9, []string{"azerbaijan", "azerbaijani", "baku"}},
	{0.9, []string{"serbia", "serbian", "belgrade"}},
	{0.9, []string{"greece", "greek", "athens"}},
	{0.9, []string{"cyprus", "cypriot", "nicosia"}},
	{0.9, []string{"norway", "norwegian", "oslo"}},
	{0.9, []string{"sweden", "swedish", "stockholm"}},
	{0.9, []string{"finland", "finnish", "helsinki"}},
	{0.9, []string{"denmark", "danish", "copenhagen"}},
	{0.9, []string{"netherlands", "dutch", "hague"}},
	{0.9, []string{"switzerland", "swiss", "bern", "geneva"}},
	{0.9, []string{"austria", "austrian", "vienna"}},
	{0.9, []string{"hungary", "hungarian", "budapest"}},
	{0.9, []string{"belarus", "belarusian", "minsk"}},
	{0.9, []string{"venezuela", "venezuelan", "caracas"}},
	{0.9, []string{"colombia", "colombian", "bogota"}},
	{0.9, []string{"argentina", "argentine", "argentinian"}},
	{0.9, []string{"lebanon", "lebanese", "beirut"}},
	{0.9, []string{"palestine", "palestinian", "palestinians"}},
	{0.9, []string{"libya", "libyan", "tripoli"}},
	{0.9, []string{"taiwan", "taiwanese", "taipei"}},
	{0.9, []string{"thailand", "thai", "bangkok"}},
	{0.9, []string{"nato", "alliance"}},
	{0.9, []string{"un", "u.n.", "united nations"}},
	{0.9, []string{"wto", "world trade organization"}},
}

// phraseSynonyms holds the multi-word entries of synonymGroups, keyed by
// the phrase, so that a question's "hand over" is read as one word.
var phraseSynonyms = func() map[string][]int {
	m := map[string][]int{}
	for gi, g := range synonymGroups {
		for _, w := range g.words {
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
