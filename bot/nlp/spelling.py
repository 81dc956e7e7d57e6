"""Text-speak and common misspellings, written out, for the sentence
encoder only.

all-MiniLM-L6-v2 learnt its word pieces from edited English: "fone",
"freind", "sumone" and "u" split into pieces that mean little, so "can i
bring my fone to school" reads far from "can I bring my phone to school".
Children write this way, and so do adults in a hurry. `normalise()` spells
out the common ones before a message is encoded (in training and in use
alike); the text people typed is kept as it was everywhere else. Pure
Python. The measurement behind it: docs/nlu.md.
"""
from __future__ import annotations

import re

#: lower-case word -> what it stands for. Only words that are not also
#: ordinary English words with another meaning.
SPELLED_OUT = {
    "u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "wat": "what", "wot": "what",
    "wen": "when", "coz": "because", "cos": "because", "cuz": "because", "becuz": "because", "bcos": "because",
    "becos": "because", "bcoz": "because", "ppl": "people", "sumone": "someone", "somone": "someone",
    "some1": "someone", "sum1": "someone", "sumthing": "something", "somethin": "something", "freind": "friend",
    "frend": "friend", "frind": "friend", "freinds": "friends", "frends": "friends", "fone": "phone",
    "phne": "phone", "skool": "school", "skul": "school", "techer": "teacher", "teecher": "teacher",
    "teachr": "teacher", "alowed": "allowed", "allowd": "allowed", "aloud": "allowed", "horible": "horrible",
    "horribal": "horrible", "nite": "night", "tho": "though", "gonna": "going to", "wanna": "want to",
    "dunno": "do not know", "im": "i am", "dont": "do not", "wont": "will not", "cant": "cannot",
    "isnt": "is not", "doesnt": "does not", "didnt": "did not", "hes": "he is", "shes": "she is",
    "thats": "that is", "whats": "what is", "ive": "i have", "msg": "message", "msgs": "messages",
    "txt": "text", "txts": "texts", "pic": "picture", "pics": "pictures", "fb": "facebook",
    "insta": "instagram", "yt": "youtube", "b4": "before", "2day": "today", "2moro": "tomorrow",
    "gr8": "great", "pple": "people", "wud": "would", "cud": "could", "shud": "should", "bcz": "because",
    "luv": "love", "hlep": "help", "halp": "help", "bullyed": "bullied", "bulling": "bullying", "bullyd": "bullied",
    "nos": "knows", "noes": "knows", "sumwhere": "somewhere", "evryone": "everyone", "evry1": "everyone", "every1": "everyone",
    "skerd": "scared", "skeard": "scared", "scerd": "scared", "reely": "really", "realy": "really", "gost": "ghost", "famlee": "family",
    "scard": "scared", "scaird": "scared", "frightend": "frightened", "wory": "worry", "woried": "worried", "meen": "mean", "scarey": "scary", "sed": "said", "sez": "says",
    "horibble": "horrible", "horrable": "horrible", "horibel": "horrible", "difrent": "different", "diffrent": "different",
    "diferent": "different", "difrunt": "different", "peple": "people", "poeple": "people", "pepole": "people",
    "wekend": "weekend", "weeknd": "weekend", "coments": "comments", "comets": "comments", "scool": "school",
    "clas": "class", "fones": "phones", "giv": "give", "hav": "have", "offis": "office", "ofis": "office", "trubble": "trouble",
    # ordinary words the encoder's vocabulary lacks, which the sound reading would
    # turn into others ("horrid" read as "hurried", "tummy" as "tommy", "cringe" as "crying")
    "horrid": "horrible", "horridly": "horribly", "meanie": "mean person", "tummy": "stomach", "tummies": "stomachs",
    "cringe": "embarrassing", "snitch": "tell on", "snitching": "telling on",
    "truble": "trouble", "tomorow": "tomorrow", "tommorow": "tomorrow", "anyting": "anything", "enything": "anything",
    "facebok": "facebook", "facbook": "facebook", "snapchap": "snapchat", "tiktock": "tiktok", "tic tok": "tiktok",
    "grandauter": "granddaughter", "granddaugter": "granddaughter", "grandsn": "grandson", "grandsun": "grandson",
    "becoz": "because", "sumtimes": "sometimes", "sumthin": "something", "cuold": "could",
    "techers": "teachers", "skared": "scared", "scaried": "scared", "meassage": "message", "mesage": "message", "callin": "calling", "sayin": "saying", "sendin": "sending", "postin": "posting",
    "laffin": "laughing", "lafing": "laughing", "laffing": "laughing", "laffed": "laughed", "teches": "teaches", "meseges": "messages", "mesages": "messages", "massages": "messages", "evrything": "everything",
    "leter": "letter", "leters": "letters", "lettr": "letter", "agen": "again", "agin": "again", "agian": "again",
    "complane": "complain", "complaned": "complained", "playgrond": "playground", "rong": "wrong", "carryin": "carrying",
    "socail": "social", "sosial": "social", "socal": "social", "netwerk": "network", "netwerks": "networks", "netwrk": "network",
    "medja": "media", "meedia": "media", "lern": "learn", "spelings": "spellings", "homewerk": "homework",
}
_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SPELLED_OUT), key=len, reverse=True)) + r")\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """The message with text-speak and common misspellings spelt out, then
    words spelt as they sound read as the words they are ("sumwun rote
    horibul fings": bot/nlp/sounds_like.py)."""
    from bot.nlp.sounds_like import spell_out

    return spell_out(_WORD.sub(lambda m: SPELLED_OUT[m.group(1).lower()], text or ""))
