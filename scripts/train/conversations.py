"""Chat conversations (lists of {"role", "content"}) built from stories and simple questions.

`make_conversation(rng)` draws one conversation; the mix covers story requests, questions about a
story (given in the prompt or told earlier in the chat), simple facts and arithmetic, greetings,
and polite refusals for things outside this small model's world.
"""

from lexicon import PLACES, STORY_ANIMALS
from questions import make_question
from stories import PLOT_REQUESTS, make_character, make_story
from text import a_an, cap

DEFAULT_SYSTEM = "You are Cinder, a small and friendly assistant."
OTHER_SYSTEMS = [
    "You are a helpful assistant.", "You are a helpful AI assistant.", "You are a friendly assistant.",
    "You are a kind storyteller for children.", "You are Cinder.", "Be helpful and kind.",
    "You are a helpful assistant. Answer the user's questions.", "You are a chatbot that runs in the browser.",
]

PLOT_PHRASES = {
    "lost": "who loses {his} favorite toy", "friend": "who makes a new friend", "fear": "who learns to be brave",
    "share": "who shares with a friend", "build": "who does not give up", "help": "who helps an animal",
    "trip": "who goes on a trip", "garden": "who plants a seed", "race": "who wins a race",
    "gift": "who makes a birthday present",
}


def styled(rng, text):
    """Users type casually: sometimes all lower case, sometimes without the final punctuation."""
    r = rng.random()
    if r < 0.12:
        text = text.lower()
    if rng.random() < 0.12 and text[-1:] in ".?!":
        text = text[:-1]
    return text


def story_request(rng):
    """A request for a story and the story that fulfills it (same hero kind, name, plot, place)."""
    plot = rng.choice(sorted(PLOT_PHRASES)) if rng.random() < 0.55 else None
    kind = rng.choice(["girl", "boy"] + STORY_ANIMALS) if rng.random() < 0.6 else None
    named = kind is not None and rng.random() < 0.4
    place = rng.choice(sorted(PLACES)) if rng.random() < 0.15 else None
    hero = make_character(rng, kind=kind)
    story, hero, plot, place = make_story(rng, plot=plot, hero=hero, place_key=place)

    verb = rng.choice(["Tell me a story", "Tell me a short story", "Can you tell me a story", "Write a short story",
                       "Please tell me a bedtime story", "Write a story", "Make up a story", "I want a story",
                       "Could you write a little story", "Tell a story"])
    subject = ""
    if kind is not None:
        who = f"{a_an(hero.kind)} {hero.kind}"
        if rng.random() < 0.3:
            who = f"{a_an(hero.adj)} {hero.adj} {hero.kind}"
        if named:
            choices = [f"{who} named {hero.name}", f"{hero.name} the {hero.kind}", f"{hero.name}, {who}"]
            who = rng.choice(choices)
        subject = f" about {who}"
        if plot is not None and rng.random() < 0.7:
            subject += " " + PLOT_PHRASES[plot].format(his=hero.his)
    elif plot is not None and rng.random() < 0.8:
        subject = " " + rng.choice(PLOT_REQUESTS[plot]).format(kind=hero.kind)
    if place is not None and rng.random() < 0.5:
        subject += f" {PLACES[place][0]}"
    end = "?" if verb.startswith(("Can", "Could")) else "."
    request = styled(rng, verb + subject + end)
    return request, story_answer(rng, story), story


def story_answer(rng, story):
    parts = []
    r = rng.random()
    if r < 0.25:
        parts.append(rng.choice(["Sure! Here is a short story.", "Of course! Here is a story for you.",
                                 "Here is a little story.", "Okay! Here is a story."]))
    if rng.random() < 0.35:
        parts.append(f"**{story.title}**")
    parts.extend(story.paragraphs)
    return "\n\n".join(parts)


def story_in_prompt(rng, story, question):
    form = rng.randrange(5)
    if form == 0:
        return f"Read the story and answer the question.\n\n{story.text}\n\nQuestion: {question}"
    if form == 1:
        return f"{story.text}\n\n{question}"
    if form == 2:
        return f"Here is a story:\n\n{story.text}\n\n{question}"
    if form == 3:
        return f"Story: {story.text}\n\nQuestion: {question}"
    return f"{question}\n\n{story.text}"


def follow_up(rng, story):
    """A question about `story` and its answer."""
    r = rng.random()
    if r < 0.12:
        return rng.choice(["What is the story about?", "Can you summarize the story?", "Tell me the story in one sentence.",
                           "Summarize the story in one sentence."]), story.summary
    if r < 0.18:
        return rng.choice(["Give the story a title.", "What is a good title for this story?", "What should we call this story?"]), \
            rng.choice([f"A good title is \"{story.title}\".", f"How about \"{story.title}\"?"])
    questions, answer = rng.choice(story.qa)
    return styled(rng, rng.choice(questions)), answer


THANKS = [
    ("Thank you!", ["You're welcome!", "You're welcome! I am glad I could help.", "Happy to help!"]),
    ("Thanks", ["You're welcome!", "Any time!"]),
    ("That was a nice story.", ["Thank you! I am glad you liked it.", "Thank you! Do you want another one?"]),
    ("I love it!", ["I am so happy you liked it!", "Yay! I am glad you love it."]),
    ("Bye!", ["Goodbye! Have a nice day!", "Bye! Come back soon for another story."]),
    ("Good night", ["Good night! Sleep well and have sweet dreams."]),
]
GREETINGS = ["Hi", "Hello", "Hello!", "Hi there!", "Hey", "Good morning!", "Good evening", "Hey there", "Hi!", "hello"]
GREETING_REPLIES = [
    "Hello! I am Cinder. I can tell you a short story or answer a simple question. What would you like?",
    "Hi there! Would you like a story, or do you have a question for me?",
    "Hello! How can I help you today? I can tell stories and answer simple questions.",
    "Hi! It is nice to meet you. Do you want to hear a story?",
]
ABOUT = [
    (["Who are you?", "What is your name?", "What are you?", "Tell me about yourself.", "Are you a robot?"],
     ["I am Cinder, a small language model. I run right here on your device. I like to tell short stories and answer simple questions.",
      "My name is Cinder. I am a tiny AI model that runs in your browser. I know short stories, animals, colors, counting and easy math."]),
    (["What can you do?", "How can you help me?", "What do you know?", "What can I ask you?"],
     ["I can tell you short stories about children and animals, answer questions about a story, and answer simple questions about colors, animals, opposites, counting and easy math.",
      "I can tell stories, answer questions about them, and help with simple things like colors, animal sounds, opposites and small sums. Try: \"Tell me a story about a brave rabbit.\""]),
    (["How are you?", "How are you today?", "How is it going?"],
     ["I am doing well, thank you! Would you like to hear a story?", "I am great, thanks for asking! What can I do for you?"]),
]
OOD_TOPICS = [
    "the capital of France", "quantum physics", "the stock market", "JavaScript", "the history of Rome", "black holes",
    "taxes", "the president", "bitcoin", "chemistry", "the World Cup", "machine learning", "the news today",
    "how a car engine works", "the French revolution", "climate change", "a good recipe for soup", "the best phone to buy",
    "medicine", "how to fix my computer", "the meaning of life", "the population of China", "Shakespeare",
    "electricity", "a good movie to watch", "the law", "how to invest money", "DNA", "the internet", "Mars",
]
OOD_FORMS = ["Tell me about {t}.", "Explain {t}.", "Can you help me with {t}?", "What do you know about {t}?",
             "I have a question about {t}."]
OOD_FIXED = ["What is the capital of France?", "What is quantum physics?", "What is bitcoin?", "What is DNA?",
             "Who is the president?", "What is the meaning of life?", "How do I fix my computer?", "What is a black hole?",
             "Write a Python function to sort a list.", "Translate \"good morning\" into Spanish.", "What time is it?",
             "What is the weather tomorrow?", "Write an email to my boss.", "Solve x^2 + 3x - 4 = 0.",
             "Who won the game last night?", "Can you book a flight for me?", "Write me a poem about the stock market."]
OOD_REPLIES = [
    "I am sorry, I do not know about that. I am a tiny model, and I only know short stories and simple things like animals, colors, counting and easy math. Would you like a story instead?",
    "That is too hard for me. I am a very small model. I can tell you a short story or answer a simple question about animals, colors or numbers.",
    "I do not know much about that. I am only a small storyteller. Shall I tell you a story about a brave little animal?",
]
BIG_MATH_REPLY = "Those numbers are too big for me. I can add and subtract small numbers, up to 20. Try: \"What is 7 + 5?\""


def ood_turn(rng):
    if rng.random() < 0.2:
        a, b = rng.randint(25, 999), rng.randint(25, 999)
        op = rng.choice(["+", "-", "times", "divided by"])
        return f"What is {a} {op} {b}?", BIG_MATH_REPLY
    if rng.random() < 0.35:
        return rng.choice(OOD_FIXED), rng.choice(OOD_REPLIES)
    q = rng.choice(OOD_FORMS).format(t=rng.choice(OOD_TOPICS))
    return styled(rng, q), rng.choice(OOD_REPLIES)


def fact_turn(rng):
    q, a = make_question(rng)
    return styled(rng, q), a


def turns_story(rng):
    request, answer, story = story_request(rng)
    turns = [(request, answer)]
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        if rng.random() < 0.12:
            request, answer, story = story_request(rng)
            if rng.random() < 0.5:
                request = rng.choice(["Tell me another story.", "Another one, please!", "One more story?", "Can I have another story?"])
            turns.append((request, answer))
        else:
            turns.append(follow_up(rng, story))
    return turns


def turns_comprehension(rng):
    story, _, _, _ = make_story(rng)
    question, answer = follow_up(rng, story)
    turns = [(story_in_prompt(rng, story, question), answer)]
    for _ in range(rng.choice([0, 0, 1, 2])):
        turns.append(follow_up(rng, story))
    return turns


def turns_facts(rng):
    return [fact_turn(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4]))]


def turns_social(rng):
    turns = []
    if rng.random() < 0.6:
        turns.append((styled(rng, rng.choice(GREETINGS)), rng.choice(GREETING_REPLIES)))
    qs, replies = rng.choice(ABOUT)
    if rng.random() < 0.7 or not turns:
        turns.append((styled(rng, rng.choice(qs)), rng.choice(replies)))
    nxt = rng.random()
    if nxt < 0.4:
        request, answer, _ = story_request(rng)
        turns.append((request, answer))
    elif nxt < 0.7:
        turns.append(fact_turn(rng))
    if rng.random() < 0.4:
        q, replies = rng.choice(THANKS)
        turns.append((q, rng.choice(replies)))
    return turns


def turns_ood(rng):
    turns = [ood_turn(rng)]
    if rng.random() < 0.4:
        if rng.random() < 0.5:
            request, answer, _ = story_request(rng)
            turns.append((rng.choice(["Okay, tell me a story.", "Yes, please!", request]), answer))
        else:
            turns.append(fact_turn(rng))
    return turns


def turns_mixed(rng):
    turns = []
    for _ in range(rng.randint(2, 3)):
        kind = rng.random()
        if kind < 0.55:
            turns.append(fact_turn(rng))
        elif kind < 0.75:
            turns.append(ood_turn(rng))
        else:
            q, replies = rng.choice(THANKS)
            turns.append((q, rng.choice(replies)))
    return turns


def turns_long(rng):
    """A longer chat (several stories and questions), so the model also sees late positions."""
    turns = []
    while sum(len(q) + len(a) for q, a in turns) < rng.randint(1500, 3300):
        turns += rng.choice([turns_story, turns_story, turns_facts, turns_social, turns_comprehension])(rng)
    return turns


KINDS = [(turns_story, 30), (turns_comprehension, 21), (turns_facts, 28), (turns_social, 7), (turns_ood, 6),
         (turns_mixed, 7), (turns_long, 2)]


def make_conversation(rng):
    make = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    messages = []
    r = rng.random()
    if r < 0.8:
        messages.append({"role": "system", "content": DEFAULT_SYSTEM})
    else:
        messages.append({"role": "system", "content": rng.choice(OTHER_SYSTEMS)})
    for user, assistant in make(rng):
        messages.append({"role": "user", "content": user})
        messages.append({"role": "assistant", "content": assistant})
    return messages
