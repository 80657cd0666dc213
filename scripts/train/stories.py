"""Short stories with a beginning, a middle and an end, plus questions about them.

A story is made from a spec (hero, place, plot) by one plot function. Each plot function returns
a Story: paragraphs, a title, a one-sentence summary and question/answer pairs whose answers are
facts of that story (who, where, what was lost, how the hero felt, how many were left, ...).
"""

from dataclasses import dataclass, field

from lexicon import (
    ANIMAL_ADJ, BOY_NAMES, COLORS, FEELINGS_GOOD, GAMES, GIRL_NAMES, HELPERS, KID_ADJ, LOST_OBJECTS,
    PET_NAMES, PLACES, SEARCH_SPOTS, SHARE_ITEMS, STORY_ANIMALS, TRIPS,
)
from text import a_an, cap, join_list, plural


@dataclass
class Character:
    name: str
    kind: str  # "girl", "boy" or an animal
    she: bool
    adj: str

    @property
    def he(self):
        return "she" if self.she else "he"

    @property
    def him(self):
        return "her" if self.she else "him"

    @property
    def his(self):
        return "her" if self.she else "his"

    def intro(self):
        return f"{a_an(self.adj)} {self.adj} {self.kind} named {self.name}"

    @property
    def is_kid(self):
        return self.kind in ("girl", "boy")


def friend_ref(friend):
    """How a story names a friend: "Leah", or "Olive the penguin"."""
    return friend.name if friend.is_kid else f"{friend.name} the {friend.kind}"


def make_character(rng, kind=None, name=None, avoid=()):
    if kind is None:
        kind = rng.choice(["girl", "boy"]) if rng.random() < 0.5 else rng.choice(STORY_ANIMALS)
    if kind == "girl":
        she = True
    elif kind == "boy":
        she = False
    else:
        she = rng.random() < 0.5
    if name is None:
        pool = (GIRL_NAMES if she else BOY_NAMES) if kind in ("girl", "boy") else PET_NAMES
        name = rng.choice([n for n in pool if n not in avoid])
    adj = rng.choice(KID_ADJ if kind in ("girl", "boy") else ANIMAL_ADJ)
    return Character(name, kind, she, adj)


@dataclass
class Story:
    title: str
    paragraphs: list
    summary: str
    qa: list = field(default_factory=list)  # (list of question phrasings, answer)
    theme: str = ""

    @property
    def text(self):
        return "\n\n".join(self.paragraphs)


OPENERS = ["Once upon a time", "One sunny morning", "Long ago", "One day", "On a cold winter day",
           "One rainy afternoon", "One bright spring day", "Not long ago", "One warm summer evening"]


def opening(rng, hero, place_key):
    place = PLACES[place_key][0]
    opener = rng.choice(OPENERS)
    form = rng.randrange(3)
    if form == 0:
        return f"{opener}, there was {hero.intro()}. {cap(hero.he)} lived {place}."
    if form == 1:
        return f"{opener}, {place}, there lived {hero.intro()}."
    return f"{opener}, {hero.intro()} lived {place}. {cap(hero.he)} loved to {rng.choice(['play outside', 'sing songs', 'run and jump', 'look at the clouds', 'draw pictures', 'read books'])}."


def common_qa(hero, place_key):
    place = PLACES[place_key][0]
    who = f"a {hero.kind} named {hero.name}"
    return [
        (["Who is the story about?", "Who is the main character?", "Who is this story about?"],
         f"The story is about {who}."),
        (["Where did the story happen?", f"Where did {hero.name} live?", "Where does the story take place?"],
         f"{hero.name} lived {place}."),
        ([f"What kind of animal is {hero.name}?" if not hero.is_kid else f"Is {hero.name} a boy or a girl?"],
         f"{hero.name} is {a_an(hero.kind)} {hero.kind}." if not hero.is_kid else f"{hero.name} is a {hero.kind}."),
    ]


def plot_lost(rng, hero, place_key, friend):
    color = rng.choice(COLORS)
    obj = rng.choice(LOST_OBJECTS)
    thing = f"{color} {obj}"
    spots = rng.sample(SEARCH_SPOTS, 3)
    helper = friend.name
    p1 = opening(rng, hero, place_key) + f" {cap(hero.he)} had {a_an(color)} {thing} that {hero.he} loved very much."
    p2 = (f"But one morning, the {thing} was gone! {hero.name} felt {rng.choice(['sad', 'worried', 'upset'])}. "
          f"{cap(hero.he)} looked {spots[0]}, but it was not there. Then {hero.he} looked {spots[1]}, "
          f"but it was not there either. {hero.name} {rng.choice(['sat down and began to cry', 'sighed and felt very sad', 'did not know what to do'])}.")
    p3 = (f"Just then, {hero.his} friend {friend_ref(friend)} came by. \"Do not worry,\" said {friend.name}. "
          f"\"I will help you look.\" Together they looked {spots[2]}, and there it was! The {thing} was {spots[2]}.")
    feel = rng.choice(["happy", "glad", "very happy", "full of joy"])
    p4 = (f"{hero.name} hugged {friend.name} and felt {feel}. "
          + rng.choice([f"From that day on, {hero.name} always kept the {thing} in a safe place.",
                        "It is easier to find things when a friend helps you.",
                        f"\"Thank you,\" said {hero.name}. \"You are a good friend.\""]))
    qa = common_qa(hero, place_key) + [
        ([f"What did {hero.name} lose?", f"What was {hero.name} looking for?"], f"{hero.name} lost {hero.his} {thing}."),
        ([f"Where did they find the {obj}?", f"Where was the {obj}?", f"Where did {hero.name} find the {obj}?"],
         f"They found the {thing} {spots[2]}."),
        ([f"Who helped {hero.name}?", f"Who helped {hero.name} find the {obj}?"],
         f"{hero.his.capitalize()} friend {friend_ref(friend)} helped {hero.him}."),
        ([f"How did {hero.name} feel at the end?", f"How did {hero.name} feel when the {obj} was found?"],
         f"{hero.name} felt {feel}."),
        ([f"What color was the {obj}?"], f"The {obj} was {color}."),
        ([f"Where did {hero.name} look first?"], f"{hero.name} looked {spots[0]} first."),
    ]
    return Story(f"The Lost {cap(color)} {cap(obj)}" if " " not in obj else f"The Lost {cap(obj)}", [p1, p2, p3, p4],
                 f"{hero.name} lost {hero.his} {thing}, and {hero.his} friend {friend.name} helped {hero.him} find it {spots[2]}.",
                 qa, "losing something")


def plot_friend(rng, hero, place_key, friend):
    game = rng.choice(GAMES)
    p1 = opening(rng, hero, place_key) + f" But {hero.name} felt lonely, because {hero.he} had no one to play with."
    p2 = (f"One day, {hero.name} saw {friend.intro()} sitting alone {rng.choice(['under a tree', 'by the fence', 'near the pond', 'on a big rock'])}. "
          f"{friend.name} looked {rng.choice(['shy', 'sad', 'lonely'])}. {hero.name} walked over and said, \"Hello! Do you want to play {game} with me?\" "
          f"{friend.name} smiled and said, \"Yes, please!\"")
    p3 = (f"They played {game} all afternoon. They laughed and ran until the sun went down. "
          f"{rng.choice(['The next day, they played again.', 'After that, they met every day.', 'Soon they were best friends.'])}")
    p4 = f"{hero.name} was not lonely anymore. " + rng.choice([
        "Sometimes a new friend is just one hello away.", f"{hero.name} and {friend.name} became best friends.",
        "Being kind is the best way to make a friend."])
    qa = common_qa(hero, place_key) + [
        ([f"Why was {hero.name} sad at the beginning?", f"How did {hero.name} feel at the start?"],
         f"{hero.name} felt lonely because {hero.he} had no one to play with."),
        ([f"Who did {hero.name} meet?", f"Who became {hero.name}'s friend?"], f"{hero.name} met {friend.intro()}."),
        ([f"What game did they play?", f"What did {hero.name} and {friend.name} play?"], f"They played {game}."),
        ([f"How did {hero.name} feel at the end?"], f"{hero.name} felt happy and was not lonely anymore."),
    ]
    return Story(f"{hero.name} Makes a Friend", [p1, p2, p3, p4],
                 f"{hero.name} was lonely until {hero.he} met {friend.name} and they became friends.", qa, "friendship")


FEARS = {
    "the dark": ("turned on a little night light and showed {him} the stars outside the window",
                 "The dark is just the day taking a rest.", "fell asleep with a smile"),
    "thunder": ("gave {him} a warm hug and said that thunder is only a big noise from the clouds",
                "Thunder is loud, but it cannot hurt you.", "counted the seconds between the flashes and was not scared anymore"),
    "the deep water": ("held {his} hand and showed {him} how to float", "Take it slowly, one step at a time.",
                       "swam across the pool all alone"),
    "the tall slide": ("went down the slide first and waved from the bottom", "You can do it. I will be right here.",
                       "slid down the tall slide and laughed all the way"),
    "the big dog next door": ("showed {him} that the dog only wanted to play", "Hold out your hand and let him sniff it.",
                              "patted the big dog, and the dog wagged its tail"),
    "the first day of school": ("walked with {him} to the door and said that everyone is new on the first day",
                                "You will make new friends.", "made two new friends and could not wait to go back"),
}


def plot_fear(rng, hero, place_key, friend):
    fear = rng.choice(sorted(FEARS))
    help_text, words, brave = FEARS[fear]
    helper = f"{hero.his} {rng.choice(HELPERS)}" if rng.random() < 0.6 else f"{hero.his} friend {friend.name}"
    p1 = opening(rng, hero, place_key) + f" {hero.name} was brave about many things, but {hero.he} was afraid of {fear}."
    p2 = (f"{cap(helper)} saw that {hero.name} was scared. {cap(helper)} {help_text.format(him=hero.him, his=hero.his)}. "
          f"\"{words[:-1]},\" {rng.choice(['said', 'whispered'])} {helper}.")
    p3 = f"{hero.name} took a deep breath. Then {hero.he} {brave}."
    p4 = f"{hero.name} felt {rng.choice(['brave', 'proud', 'strong'])}. " + rng.choice([
        "Being brave does not mean you are never scared.", f"{cap(hero.he)} was not afraid of {fear} anymore.",
        "With a little help, we can do hard things."])
    qa = common_qa(hero, place_key) + [
        ([f"What was {hero.name} afraid of?", f"What scared {hero.name}?"], f"{hero.name} was afraid of {fear}."),
        ([f"Who helped {hero.name}?", f"Who helped {hero.name} be brave?"], f"{cap(helper)} helped {hero.him}."),
        ([f"How did {hero.name} feel at the end?"], f"{hero.name} felt brave and was not afraid anymore."),
    ]
    return Story(f"{hero.name} Is Brave", [p1, p2, p3, p4],
                 f"{hero.name} was afraid of {fear}, but with help from {helper} {hero.he} became brave.", qa, "being brave")


def plot_share(rng, hero, place_key, friend):
    item = rng.choice(SHARE_ITEMS)
    have = rng.randint(3, 10)
    give = rng.randint(1, have - 1)
    left = have - give
    p1 = opening(rng, hero, place_key) + f" One day, {hero.name} had {have} {plural(item, have)}."
    p2 = (f"{hero.name} went outside and saw {hero.his} friend {friend_ref(friend)}. {friend.name} looked sad, because "
          f"{friend.he} had no {plural(item, 2)} at all. {hero.name} thought for a moment. Then {hero.he} gave {friend.name} "
          f"{give} {plural(item, give)}.")
    p3 = (f"Now {hero.name} had {left} {plural(item, left)} left, and {friend.name} had {give}. "
          f"{friend.name} smiled a big smile and said, \"Thank you!\"")
    p4 = f"They sat together and {rng.choice(['ate', 'enjoyed', 'shared'])} their {plural(item, 2)}. " + rng.choice([
        "Sharing made them both happy.", "Sharing is caring.", f"{hero.name} felt happy, because sharing feels good."])
    qa = common_qa(hero, place_key) + [
        ([f"How many {plural(item, 2)} did {hero.name} have at first?"], f"{hero.name} had {have} {plural(item, have)} at first."),
        ([f"How many {plural(item, 2)} did {hero.name} give to {friend.name}?", f"How many {plural(item, 2)} did {friend.name} get?"],
         f"{hero.name} gave {friend.name} {give} {plural(item, give)}."),
        ([f"How many {plural(item, 2)} did {hero.name} have left?", f"How many {plural(item, 2)} were left?"],
         f"{hero.name} had {left} {plural(item, left)} left, because {have} - {give} = {left}."),
        ([f"Why was {friend.name} sad?"], f"{friend.name} was sad because {friend.he} had no {plural(item, 2)}."),
        ([f"What did {hero.name} share?"], f"{hero.name} shared {hero.his} {plural(item, 2)} with {friend.name}."),
    ]
    return Story(f"{hero.name} Shares", [p1, p2, p3, p4],
                 f"{hero.name} had {have} {plural(item, have)} and shared {give} with {friend.name}.", qa, "sharing")


BUILDS = {
    "a sandcastle": ("a big wave came and washed it away", "built it again, farther from the water", "the beach"),
    "a snowman": ("it fell over in the wind", "packed the snow tighter and made the bottom ball bigger", "the yard"),
    "a tower of blocks": ("it wobbled and fell down", "made the bottom wider and put the big blocks at the bottom", "the living room"),
    "a paper boat": ("it got wet and sank", "folded a new boat from thicker paper", "the pond"),
    "a birdhouse": ("the roof fell off", "used more nails to hold the roof on", "the garden"),
    "a kite": ("it would not fly", "gave the kite a longer tail and waited for the wind", "the hill"),
}


def plot_build(rng, hero, place_key, friend):
    thing = rng.choice(sorted(BUILDS))
    fail, fix, where = BUILDS[thing]
    helper = f"{hero.his} {rng.choice(HELPERS)}" if rng.random() < 0.5 else f"{hero.his} friend {friend.name}"
    p1 = opening(rng, hero, place_key) + f" One day, {hero.name} wanted to make {thing}."
    p2 = (f"{hero.name} worked hard. But then {fail}. {hero.name} felt {rng.choice(['sad', 'upset', 'like giving up'])}. "
          f"\"Do not give up,\" said {helper}. \"Let us try again.\"")
    p3 = f"So {hero.name} tried again. This time, {hero.he} {fix}. And it worked!"
    p4 = f"The {thing.split(' ', 1)[1]} was {rng.choice(['perfect', 'beautiful', 'the best one ever'])}. " \
        f"{hero.name} felt {rng.choice(FEELINGS_GOOD)}. " + rng.choice([
            "If at first you do not succeed, try, try again.", "Trying again is how we learn.",
            f"{hero.name} learned that it is good to keep trying."])
    qa = common_qa(hero, place_key) + [
        ([f"What did {hero.name} want to make?", f"What did {hero.name} build?"], f"{hero.name} wanted to make {thing}."),
        ([f"What went wrong the first time?", "What happened the first time?"], f"The first time, {fail}."),
        ([f"What did {hero.name} do the second time?", "How did they fix it?"], f"{hero.name} {fix}."),
        ([f"Who told {hero.name} not to give up?"], f"{cap(helper)} told {hero.him} not to give up."),
        (["What is the lesson of the story?", "What does this story teach us?"], "The story teaches us not to give up and to try again."),
    ]
    return Story(f"{hero.name} Tries Again", [p1, p2, p3, p4],
                 f"{hero.name} tried to make {thing}; it failed the first time, but {hero.he} tried again and it worked.", qa, "not giving up")


RESCUES = {
    "a little bird with a hurt wing": ("made a soft bed in a box and gave it water and seeds",
                                       "the bird's wing was better, and it flew up into the sky", "the bird"),
    "a lost kitten": ("asked all the neighbors if the kitten was theirs",
                      "an old lady cried, \"That is my kitten!\" and hugged it", "the kitten"),
    "a baby duck that could not find its mother": ("walked slowly with it to the pond",
                                                   "the mother duck came swimming and quacked happily", "the baby duck"),
    "a puppy stuck in a bush": ("gently pulled the branches apart", "the puppy jumped out and licked {his} face", "the puppy"),
    "a turtle that was stuck on its back": ("carefully turned it over", "the turtle walked slowly back to the pond", "the turtle"),
}


def plot_help(rng, hero, place_key, friend):
    animal = rng.choice(sorted(RESCUES))
    action, ending, short = RESCUES[animal]
    days = rng.randint(2, 6)
    p1 = opening(rng, hero, place_key)
    p2 = (f"{rng.choice(['One morning', 'Then one afternoon', 'One evening'])}, {hero.name} found {animal}. \"Oh no!\" said {hero.name}. \"I have to help.\" "
          f"{cap(hero.he)} {action}.")
    p3 = f"After {days} days, {ending.format(his=hero.his)}."
    p4 = f"{hero.name} felt {rng.choice(['proud', 'warm inside', 'very happy'])}. " + rng.choice([
        "It feels good to help others.", "Kindness is never wasted.", f"{hero.name} was glad {hero.he} had helped."])
    qa = common_qa(hero, place_key) + [
        ([f"What did {hero.name} find?", f"Who did {hero.name} help?"], f"{hero.name} found {animal}."),
        ([f"How did {hero.name} help {short}?", f"What did {hero.name} do to help?"], f"{hero.name} {action}."),
        ([f"How many days did it take?"], f"It took {days} days."),
        ([f"How did {hero.name} feel at the end?"], f"{hero.name} felt proud and happy, because {hero.he} helped."),
    ]
    return Story(f"{hero.name} Helps", [p1, p2, p3, p4], f"{hero.name} found {animal} and helped it.", qa, "helping others")


def plot_trip(rng, hero, place_key, friend):
    dest = rng.choice(sorted(TRIPS))
    seen = rng.sample(TRIPS[dest], 3)
    companion = f"{hero.his} {rng.choice(HELPERS)}"
    fav = rng.choice(seen)
    fav = "the " + fav[2:] if fav.startswith("a ") else fav
    p1 = opening(rng, hero, place_key) + f" One {rng.choice(['Saturday', 'Sunday', 'morning', 'summer day'])}, {hero.name} and {companion} went to {dest}."
    p2 = (f"At {dest}, {hero.name} saw {seen[0]}. Then {hero.he} saw {seen[1]} and {seen[2]}. "
          f"{hero.name} liked {fav} best of all.")
    p3 = f"{hero.name} {rng.choice(['took a picture', 'made a drawing', 'told a joke', 'ate a snack'])} and {rng.choice(['laughed', 'smiled', 'clapped'])}. It was a wonderful day."
    p4 = f"When they came home, {hero.name} was tired but happy. " + rng.choice([
        f"{cap(hero.he)} fell asleep dreaming about {dest}.", f"{cap(hero.he)} wanted to go back to {dest} soon.",
        f"{cap(hero.he)} told everyone about {fav}."])
    qa = common_qa(hero, place_key) + [
        ([f"Where did {hero.name} go?", f"Where did {hero.name} and {companion} go?"], f"{hero.name} went to {dest}."),
        ([f"What did {hero.name} see?", f"What did {hero.name} see at {dest}?"], f"{hero.name} saw {join_list(seen)}."),
        ([f"Who went with {hero.name}?"], f"{cap(companion)} went with {hero.him}."),
        ([f"What did {hero.name} like best?"], f"{hero.name} liked {fav} best."),
        ([f"How did {hero.name} feel at the end?"], f"{hero.name} was tired but happy."),
    ]
    return Story(f"A Trip to the {cap(dest.split(' ', 1)[1])}", [p1, p2, p3, p4],
                 f"{hero.name} went to {dest} with {companion} and saw {join_list(seen)}.", qa, f"a trip to {dest}")


PLANTS = {"sunflower": ("a tall yellow sunflower", False), "tomato": ("red tomatoes", True),
          "carrot": ("long orange carrots", True), "pumpkin": ("a big orange pumpkin", False),
          "rose": ("a red rose", False), "bean": ("green beans", True)}


def plot_garden(rng, hero, place_key, friend):
    plant = rng.choice(sorted(PLANTS))
    grown, many = PLANTS[plant]
    was, it = ("were", "them") if many else ("was", "it")
    days = rng.randint(3, 12)
    p1 = opening(rng, hero, place_key) + f" One spring day, {hero.name} found a small {plant} seed."
    p2 = (f"{hero.name} dug a little hole and planted the seed. Every day {hero.he} gave it water. "
          f"For {days} days, nothing happened. {hero.name} waited and waited.")
    p3 = (f"Then one morning, {hero.he} saw a tiny green sprout! The sprout grew and grew, "
          f"and at last there {was} {grown}.")
    p4 = f"{hero.name} shared {it} with {hero.his} friend {friend.name}. " + rng.choice([
        "Good things take time.", f"{hero.name} learned that waiting is worth it.", "Patience helps things grow."])
    qa = common_qa(hero, place_key) + [
        ([f"What did {hero.name} plant?", f"What seed did {hero.name} find?"], f"{hero.name} planted a {plant} seed."),
        ([f"How many days did {hero.name} wait?", "How long did nothing happen?"], f"Nothing happened for {days} days."),
        (["What grew from the seed?", "What grew at the end?"], f"At the end there {was} {grown}."),
        ([f"What did {hero.name} do every day?"], f"{hero.name} watered the seed every day."),
    ]
    return Story(f"{hero.name} and the Little Seed", [p1, p2, p3, p4],
                 f"{hero.name} planted a {plant} seed, waited patiently, and it grew.", qa, "patience")


def plot_race(rng, hero, place_key, friend):
    slow = hero
    fast_kind = rng.choice([k for k in ["rabbit", "fox", "horse", "dog"] if k != hero.kind])
    fast_name = rng.choice([n for n in PET_NAMES if n != hero.name])
    nap = rng.choice(["took a nap under a tree", "stopped to eat some berries", "stopped to play with a butterfly"])
    p1 = opening(rng, hero, place_key) + f" {hero.name} was not very fast."
    p2 = (f"One day, a {fast_kind} named {fast_name} laughed and said, \"I am the fastest! Let us have a race.\" "
          f"{hero.name} said, \"Yes, let us race to the {rng.choice(['big tree', 'old bridge', 'red barn', 'top of the hill'])}.\"")
    p3 = (f"{fast_name} ran very fast and was soon far ahead. Then {fast_name} {nap}. "
          f"{hero.name} kept going, step by step, and never stopped.")
    p4 = (f"When {fast_name} {'woke up' if 'nap' in nap else 'remembered the race'}, {hero.name} was already at the finish. {hero.name} won the race! "
          + rng.choice(["Slow and steady wins the race.", "Keep going, and you will get there.",
                        f"{fast_name} learned not to laugh at others."]))
    qa = common_qa(hero, place_key) + [
        (["Who won the race?", "Who was the winner?"], f"{hero.name} won the race."),
        ([f"What did {fast_name} do during the race?", f"Why did {fast_name} lose?"], f"{fast_name} {nap}."),
        ([f"Who did {hero.name} race?", f"What animal was {fast_name}?"], f"{hero.name} raced a {fast_kind} named {fast_name}."),
        (["What is the lesson of the story?", "What does this story teach us?"], "Slow and steady wins the race."),
    ]
    return Story(f"{hero.name} and the Race", [p1, p2, p3, p4],
                 f"{hero.name} raced a fast {fast_kind} named {fast_name} and won by never stopping.", qa, "a race")


GIFTS = {"a card with a big heart on it": "drew a big heart and wrote a kind note inside",
         "a necklace of shells": "collected shells and put them on a string",
         "a little cake": "mixed flour, eggs and sugar and baked it with help",
         "a picture of the whole family": "drew everyone with bright crayons",
         "a crown of flowers": "picked daisies and wove them together"}


def plot_gift(rng, hero, place_key, friend):
    gift = rng.choice(sorted(GIFTS))
    for_whom = rng.choice([f"{hero.his} grandma", f"{hero.his} friend {friend.name}", f"{hero.his} mom", f"{hero.his} dad"])
    p1 = opening(rng, hero, place_key) + f" Tomorrow was the birthday of {for_whom}, and {hero.name} wanted to give a present."
    p2 = (f"But {hero.name} had no money to buy a present. {cap(hero.he)} thought and thought. "
          f"Then {hero.he} had an idea! {cap(hero.he)} would make {gift}. {hero.name} {GIFTS[gift]}.")
    p3 = f"On the birthday, {hero.name} gave the present to {for_whom}. \"I made it myself,\" said {hero.name}."
    p4 = f"{cap(for_whom)} {rng.choice(['loved it', 'smiled and gave ' + hero.name + ' a big hug', 'said it was the best present ever'])}. " + rng.choice([
        "The best presents come from the heart.", f"{hero.name} felt {rng.choice(FEELINGS_GOOD)}.",
        "A gift made with love is very special."])
    qa = common_qa(hero, place_key) + [
        ([f"What did {hero.name} make?", f"What present did {hero.name} make?"], f"{hero.name} made {gift}."),
        (["Whose birthday was it?", "Who was the present for?"], f"The present was for {for_whom}."),
        ([f"Why did {hero.name} make a present?", f"Why did {hero.name} not buy a present?"], f"{hero.name} had no money to buy a present."),
    ]
    return Story("The Birthday Present", [p1, p2, p3, p4],
                 f"{hero.name} had no money, so {hero.he} made {gift} for {for_whom}'s birthday.", qa, "a birthday")


PLOTS = {
    "lost": plot_lost, "friend": plot_friend, "fear": plot_fear, "share": plot_share, "build": plot_build,
    "help": plot_help, "trip": plot_trip, "garden": plot_garden, "race": plot_race, "gift": plot_gift,
}
# How a user may ask for each plot.
PLOT_REQUESTS = {
    "lost": ["about losing something", "about a lost toy", "where someone loses something"],
    "friend": ["about friendship", "about making a new friend", "about a lonely {kind}"],
    "fear": ["about being brave", "about a {kind} who is scared", "about courage"],
    "share": ["about sharing", "about a {kind} who shares", "with some counting in it"],
    "build": ["about not giving up", "about trying again", "about building something"],
    "help": ["about helping others", "about kindness", "about a {kind} who helps an animal"],
    "trip": ["about a trip", "about a fun day out", "about an adventure"],
    "garden": ["about a garden", "about planting a seed", "about patience"],
    "race": ["about a race", "about a slow {kind}", "like the tortoise and the hare"],
    "gift": ["about a birthday", "about a present", "about making a gift"],
}


def make_story(rng, plot=None, hero=None, place_key=None):
    plot = plot or rng.choice(sorted(PLOTS))
    hero = hero or make_character(rng, kind=rng.choice(["turtle", "snail", "hedgehog"]) if plot == "race" and rng.random() < 0.5 else None)
    place_key = place_key or rng.choice(sorted(PLACES))
    friend = make_character(rng, kind=rng.choice(STORY_ANIMALS) if rng.random() < 0.6 else None, avoid={hero.name})
    story = PLOTS[plot](rng, hero, place_key, friend)
    if rng.random() < 0.2:
        story.paragraphs[-1] += " The end."
    return story, hero, plot, place_key
