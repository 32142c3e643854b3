// The Kotlin driver of the shared scenarios (tests/scenarios/*.scenario): the same steps the
// Rust driver (tests/src/lib.rs) and the Swift driver run, here through the generated
// Kotlin bindings, JNA and the real cdylib. Run by scripts/test.sh with JUnit 4.
package app.waymark.scenarios

import app.waymark.core.*
import app.waymark.ffi.*
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneId
import java.time.temporal.ChronoUnit

class Step(val line: Int, val verb: String, val words: List<String>, val args: Map<String, String>) {
    fun arg(key: String): String = args[key] ?: throw IllegalArgumentException("line $line: missing argument $key")
}

fun parse(text: String): List<Step> = text.lines().mapIndexedNotNull { i, raw ->
    val tokens = raw.substringBefore('#').trim().split(Regex("\\s+")).filter { it.isNotEmpty() }
    if (tokens.isEmpty()) return@mapIndexedNotNull null
    val args = LinkedHashMap<String, String>()
    val words = ArrayList<String>()
    for (token in tokens.drop(1)) {
        val eq = token.indexOf('=')
        if (eq < 0) words.add(token) else args[token.substring(0, eq)] = token.substring(eq + 1).replace('_', ' ')
    }
    Step(i + 1, tokens[0], words, args)
}

class ScenarioClock : ShellClock {
    @Volatile var instant: Instant = Instant.EPOCH
    override fun now(): Instant = instant
}

private val FAST_KDF = KdfParams(256, 1, 1)
private val FAR_PAST = LocalDate.of(1970, 1, 1)
private val FAR_FUTURE = LocalDate.of(2200, 1, 1)

/** A scenario's `self_care` or `called someone` as the Kotlin entry name `SelfCare`. */
fun entryName(name: String): String =
    name.split('_', ' ').joinToString("") { it.lowercase().replaceFirstChar(Char::uppercaseChar) }

fun category(name: String): TriggerCategory = TriggerCategory.valueOf(entryName(name))

fun errorKind(e: WaymarkException): String = when (e) {
    is WaymarkException.WrongSecret -> "wrong_secret"
    is WaymarkException.Locked -> "locked"
    is WaymarkException.InvalidInput -> "invalid_input:${e.field}"
    is WaymarkException.NotFound -> "not_found:${e.what}"
    is WaymarkException.BackupDamaged -> "backup_damaged"
    else -> e.javaClass.simpleName
}

class Driver {
    private val dir = Files.createTempDirectory("waymark-scenario").toFile()
    private var path = File(dir, "scenario.db").path
    private val clock = ScenarioClock()
    private var journal: WaymarkJournal? = null
    private var zone: ZoneId = ZoneId.of("UTC")
    private var journey: RecordId? = null
    private var lastLapse: RecordId? = null
    private var lastReflection: RecordId? = null
    private var offerLapse = false
    private var review: ProgressReview? = null
    private var merge: MergeReport? = null

    private val j: WaymarkJournal get() = journal ?: error("no journal yet")
    private val journeyId: RecordId get() = journey ?: error("no journey yet")

    fun run(steps: List<Step>) {
        for (step in steps) {
            try {
                step(step)
            } catch (e: AssertionError) {
                throw AssertionError("line ${step.line}: ${step.verb}: ${e.message}", e)
            } catch (e: Exception) {
                throw AssertionError("line ${step.line}: ${step.verb}: ${e.javaClass.simpleName}: ${e.message}", e)
            }
        }
        dir.deleteRecursively()
    }

    private fun step(s: Step) {
        when (s.verb) {
            "expect" -> for ((metric, wanted) in s.args) assertEquals(metric, wanted, metric(metric))
            "expect_error" -> {
                val kind = s.words[0]
                val inner = Step(s.line, s.words[1], s.words.drop(2), s.args)
                try {
                    call(inner)
                    fail("expected error $kind, the step succeeded")
                } catch (e: WaymarkException) {
                    assertEquals(kind, errorKind(e))
                }
            }
            else -> call(s)
        }
    }

    private fun call(s: Step) {
        when (s.verb) {
            "clock" -> clock.instant = Instant.parse(s.arg("at"))
            "advance" -> clock.instant = clock.instant.plus(s.arg("days").toLong(), ChronoUnit.DAYS)
            "create" -> journal = createJournal(path, s.arg("passphrase"), FAST_KDF, clock).journal
            "zone" -> {
                zone = ZoneId.of(s.arg("name"))
                j.setTimeZone(s.arg("name"))
            }
            "journey" -> journey = j.addJourney(
                JourneyInput(
                    name = s.arg("name"),
                    soberSince = LocalDate.parse(s.arg("since")),
                    soberSinceTime = null,
                    timeZone = zone.id,
                    dailyCostCents = s.arg("cost_cents").toLong(),
                    dailyMinutes = s.arg("minutes").toInt(),
                    customMilestoneDays = listOf(),
                ),
            ).id
            "check_in_days" -> {
                val from = LocalDate.parse(s.arg("from"))
                for (day in 0 until s.arg("days").toLong()) {
                    clock.instant = from.plusDays(day).atTime(LocalTime.of(20, 0)).atZone(zone).toInstant()
                    j.checkIn(
                        CheckInInput(
                            date = null, mood = s.arg("mood").toInt(), craving = s.arg("craving").toInt(),
                            halt = Halt(false, false, false, false), triggerTags = listOf(), intention = null,
                            eveningReview = null, gratitude = listOf(), note = null,
                        ),
                    )
                }
            }
            "trigger" -> offerLapse = j.logTrigger(
                TriggerInput(
                    at = null, journeyId = journey, category = category(s.arg("category")), tags = listOf(),
                    intensity = s.arg("intensity").toInt(), situation = null, cardId = s.args["card"],
                    outcome = s.args["outcome"]?.let { UrgeOutcome.valueOf(entryName(it)) },
                    urgeMinutes = null,
                ),
            ).offerToRecordLapse
            "lapse" -> lastLapse = j.recordLapse(
                LapseInput(
                    journeyId = journeyId,
                    kind = if (s.arg("kind") == "relapse") LapseKind.Relapse else LapseKind.Lapse,
                    date = LocalDate.parse(s.arg("date")), time = null, soberAgainFrom = null, note = null,
                    triggerId = null,
                ),
            ).id
            "reflect" -> lastReflection = j.saveReflection(
                null,
                ReflectionInput(
                    lapseId = lastLapse,
                    draft = false,
                    body = ReflectionBody.Lapse(
                        LapseReflection(
                            whatHappened = "A slip on the last evening", whereWhenWho = null,
                            halt = Halt(false, false, false, false), trigger = null, thoughtsAndFeelings = null,
                            whatITried = null, whatILearned = s.arg("learned"),
                            nextTime = listOf(PlanItem(s.arg("plan"), null)), kindWord = null,
                        ),
                    ),
                ),
            ).id
            "plan_to_card" -> j.planItemToCard(lastReflection ?: error("no reflection"), s.arg("index").toInt())
            "review" -> review = j.reviewProgress(
                when (s.arg("range")) {
                    "week" -> ReviewRange.Week
                    "month" -> ReviewRange.Month
                    "year" -> ReviewRange.Year
                    else -> ReviewRange.AllTime
                },
            )
            "change_passphrase" -> j.changePassphrase(s.arg("old"), s.arg("new"))
            "lock" -> j.lock()
            "unlock" -> j.unlockWithPassphrase(s.arg("passphrase"))
            "journeys" -> j.journeys()
            "reopen" -> {
                journal?.close()
                journal = null
                val reopened = WaymarkJournal.open(path, FAST_KDF, clock)
                reopened.unlockWithPassphrase(s.arg("passphrase"))
                journal = reopened
            }
            "wipe" -> {
                j.wipe()
                assertTrue("the file survived the wipe", !File(path).exists())
            }
            "backup" -> j.writeBackup(File(dir, s.arg("file")).path, s.arg("passphrase"))
            "merge" -> merge = j.mergeBackup(File(dir, s.arg("file")).path, s.arg("passphrase"))
            "restore" -> {
                val restored = File(dir, "restored-${s.line}.db").path
                journal = restoreJournal(
                    File(dir, s.arg("file")).path, s.arg("passphrase"), restored, s.arg("new_passphrase"), FAST_KDF, clock,
                ).journal
                path = restored
            }
            "tamper" -> {
                val file = File(dir, s.arg("file"))
                val bytes = file.readBytes()
                bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
                file.writeBytes(bytes)
            }
            else -> error("unknown step ${s.verb}")
        }
    }

    private fun metric(name: String): String {
        val r = { review ?: error("no review yet") }
        return when (name) {
            "streak" -> j.counter(journeyId).currentStreakDays.toString()
            "longest" -> j.counter(journeyId).longestStreakDays.toString()
            "total_sober_days" -> j.counter(journeyId).totalSoberDays.toString()
            "attempts" -> j.counter(journeyId).attempts.size.toString()
            "money_saved_cents" -> j.counter(journeyId).moneySavedCentsTotal.toString()
            "milestones_reached" -> j.milestones(journeyId).reached.size.toString()
            "next_milestone" -> j.milestones(journeyId).next?.key ?: ""
            "clock_date" -> j.today().toString()
            "check_ins" -> j.checkIns(FAR_PAST, FAR_FUTURE).size.toString()
            "check_in_streak" -> j.checkInStreak().current.toString()
            "triggers" -> j.triggers(FAR_PAST, FAR_FUTURE).size.toString()
            "offer_lapse" -> offerLapse.toString()
            "lapses" -> j.lapses(journeyId).size.toString()
            "reflections" -> j.reflections(null).size.toString()
            "custom_cards" -> j.cards(true).count { !it.builtIn }.toString()
            "merge_added" -> (merge ?: error("no merge yet")).added.toString()
            "merge_updated" -> (merge ?: error("no merge yet")).updated.toString()
            "merge_unchanged" -> (merge ?: error("no merge yet")).unchanged.toString()
            "merge_conflicts_kept" -> (merge ?: error("no merge yet")).conflictsKept.toString()
            "review_check_ins" -> r().checkIns.count.toString()
            "review_triggers" -> r().triggers.total.toString()
            "review_lapses" -> r().lapses.size.toString()
            "review_mood_points" -> r().moodSeries.size.toString()
            "review_lapse_reflections" -> r().lapses.sumOf { it.reflections.size }.toString()
            else -> when {
                name.startsWith("top_card_") ->
                    j.suggestCards(category(name.removePrefix("top_card_"))).firstOrNull()?.card?.id ?: ""
                name.startsWith("search_") -> j.search(name.removePrefix("search_"), 100).size.toString()
                else -> error("unknown metric $name")
            }
        }
    }
}

class ScenarioTest {
    @Test
    fun everyScenarioPassesFromKotlin() {
        val dir = File(System.getProperty("waymark.scenarios") ?: "tests/scenarios")
        val files = dir.listFiles { f -> f.name.endsWith(".scenario") }?.sortedBy { it.name } ?: listOf()
        assertTrue("no scenarios in $dir", files.isNotEmpty())
        for (file in files) {
            val steps = parse(file.readText())
            assertTrue("${file.name} is suspiciously short", steps.size > 10)
            try {
                Driver().run(steps)
            } catch (e: AssertionError) {
                throw AssertionError("${file.name}: ${e.message}", e)
            }
        }
    }
}
