package app.waymark

import app.waymark.core.Halt
import app.waymark.core.CheckInInput
import app.waymark.core.CheckInDelivery
import app.waymark.core.JourneyInput
import app.waymark.core.KdfParams
import app.waymark.core.ContactInput
import app.waymark.core.ContactRole
import app.waymark.core.Limit
import app.waymark.core.LimitPeriod
import app.waymark.core.CardOutcome
import app.waymark.core.PlanSection
import app.waymark.core.ReminderKind
import app.waymark.core.TriggerCategory
import app.waymark.core.TriggerInput
import app.waymark.core.RegularMeeting
import app.waymark.core.Weekday
import app.waymark.core.ReviewRange
import app.waymark.core.SafetyItem
import app.waymark.core.SecretChange
import app.waymark.core.SlotKind
import app.waymark.ffi.PlatformKeyFailure
import app.waymark.ffi.ReadOnlyReason
import app.waymark.core.WaymarkException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.security.InvalidKeyException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/** The Kotlin shell on a plain JVM: the real library through JNA, a software key store. */
class WaymarkShellTest {
    private val dir: File = Files.createTempDirectory("waymark-shell").toFile()
    private val path = File(dir, "journal.db").path
    private val fast = KdfParams(256, 1, 1)
    private val passphrase = "correct horse battery staple"

    @After
    fun cleanUp() {
        dir.deleteRecursively()
    }

    private fun softwareKey(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    private fun journeyInput(since: String = "2026-01-01") = JourneyInput(
        name = "alcohol", soberSince = java.time.LocalDate.parse(since), soberSinceTime = null,
        timeZone = "Europe/Berlin", dailyCostCents = 1500L, dailyMinutes = null, customMilestoneDays = listOf(),
    )

    @Test
    fun aHardMomentFromThePhoneHelpNowACallAnUrgeRiddenOutRemindersAndALimitGoal() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            w.call { it.setTimeZone("Europe/London") }
            val sam = w.call { it.addContact(ContactInput("Sam", ContactRole.Sponsor, "07700 900123", null)) }
            w.addSafetyItem(PlanSection.WarningSigns, SafetyItem("not sleeping"))
            w.addSafetyItem(PlanSection.AskForHelp, SafetyItem("", contactId = sam.id))
            var plan = w.safetyPlan()
            assertEquals(2, plan.version)
            assertEquals("GB", plan.country)
            assertFalse(plan.crisisLines.first().confirmed)
            plan = w.confirmCrisisLine(plan.crisisLines.first().id)
            assertTrue(plan.crisisLines.first().confirmed)
            try {
                w.addSafetyItem(PlanSection.Reasons, SafetyItem("  "))
                fail("an empty item was saved")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("text", e.field)
            }

            val help = w.helpNow(intensity = 8)
            assertEquals("Sam", help.people.first().name)
            assertEquals(3, help.cards.size)
            assertTrue(help.lines.any { it.number == "116 123" })
            w.callFromHelpNow(sam.id)
            assertEquals(1, w.call { it.outreach() }.size)
            val ended = w.endUrgeSession(intensity = 2, cardId = help.cards.last().card.id)
            assertEquals(CardOutcome.Helped, ended.outcome)

            val reminders = w.reminders(7)
            assertTrue(reminders.any { it.kind == ReminderKind.CheckIn })
            for (r in reminders) {
                val words = (r.title + " " + r.body).lowercase()
                assertFalse(words, words.contains("sober") || words.contains("craving"))
            }

            val less = w.call {
                it.addJourney(
                    journeyInput("2026-11-01").copy(
                        name = "drinking less",
                        limit = Limit(200, LimitPeriod.Day, "pints"),
                    ),
                )
            }
            w.logUse(less.id, "1.5")
            assertEquals(150, w.limitProgress(less.id)!!.todayHundredths)
            try {
                w.logUse(less.id, "1.234")
                fail("three decimals were read")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("amount", e.field)
            }
        }
    }

    @Test
    fun aCheckInFromANotificationWhileLockedIsHeldAndWrittenAtTheNextUnlock() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            w.call { it.setTimeZone("Europe/Berlin") }
            val now = w.checkInOrHold(CheckInInput(mood = 2, craving = 6))
            assertTrue(now is CheckInDelivery.Written)
            w.lock()
            val bytes = File(dir, "journal.db").readBytes()
            val held = w.checkInOrHold(CheckInInput(mood = 4, craving = 1, note = "tapped from the lock screen"))
            assertEquals(CheckInDelivery.Held(waiting = 1), held)
            assertEquals(1, w.heldCheckIns())
            try {
                w.checkInOrHold(CheckInInput(mood = 7, craving = 1))
                fail("an invalid check-in was held")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("mood", e.field)
            }
            assertArrayEquals(bytes, File(dir, "journal.db").readBytes())
            w.unlock(passphrase)
            assertEquals(0, w.heldCheckIns())
            val today = w.call { it.checkInOn(it.today()) }
            assertEquals(4, today?.mood)
            assertEquals("tapped from the lock screen", today?.note)
        }
    }

    @Test
    fun timesAreJavaTimeValuesAndADateOutOfRangeIsInvalidInput() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            w.call { it.setTimeZone("Europe/Berlin") }
            val prefs = w.setReminderPrefs(
                w.reminderPrefs().copy(
                    checkInAt = java.time.LocalTime.of(8, 15),
                    meetings = listOf(RegularMeeting(Weekday.Tue, java.time.LocalTime.of(19, 30), "home group")),
                    quietFrom = java.time.LocalTime.of(22, 0),
                    quietUntil = java.time.LocalTime.of(7, 0),
                ),
            )
            assertEquals(java.time.LocalTime.of(19, 30), prefs.meetings.single().at)
            val checkIn = w.reminders(7).first { it.kind == ReminderKind.CheckIn }
            assertEquals(java.time.LocalTime.of(8, 15), checkIn.localTime.toLocalTime())
            assertEquals(
                checkIn.at,
                checkIn.localTime.atZone(java.time.ZoneId.of("Europe/Berlin")).toInstant(),
            )
            try {
                w.call { it.checkInOn(java.time.LocalDate.of(10000, 1, 1)) }
                fail("a date in the year 10000 crossed")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("date", e.field)
            }
            // One case style: enum entries are PascalCase like the variants of sealed classes.
            assertEquals("Tue", Weekday.Tue.name)
            assertEquals("SelfCare", app.waymark.core.CardCategory.SelfCare.name)
        }
    }

    /** A sync storage as an app would write one over its platform's storage: here, memory. */
    private class MemoryStorage : app.waymark.ffi.SyncStorage {
        val blobs = java.util.concurrent.ConcurrentHashMap<String, ByteArray>()
        var offline = false
        private fun check() { if (offline) throw app.waymark.ffi.SyncStorageFailure.Failed("no network") }
        override fun list(): List<String> { check(); return blobs.keys.toList() }
        override fun get(name: String): ByteArray? { check(); return blobs[name] }
        override fun put(name: String, bytes: ByteArray) { check(); blobs[name] = bytes }
        override fun delete(name: String) { check(); blobs.remove(name) }
    }

    @Test
    fun aPhoneAndATabletSyncThroughTheAppsOwnStorageAndAFolder() = runBlocking {
        val storage = MemoryStorage()
        val tabletPath = File(dir, "tablet.db").path
        Waymark.create(path, passphrase, kdf = fast).waymark.use { phone ->
            phone.call { it.setTimeZone("Europe/Berlin") }
            phone.call { it.checkIn(CheckInInput(mood = 3, craving = 4, note = "synced from the phone")) }
            val sent = phone.sync(storage)
            assertTrue(sent.sent >= 2)
            assertFalse(storage.blobs.values.any { String(it, Charsets.ISO_8859_1).contains("synced from") })
            try {
                Waymark.join(tabletPath, storage, passphrase = "not the passphrase", kdf = fast)
                fail("a wrong passphrase joined")
            } catch (e: WaymarkException.WrongSecret) {
                assertFalse(File(tabletPath).exists())
            }
            Waymark.join(tabletPath, storage, passphrase = passphrase, kdf = fast).waymark.use { tablet ->
                val day = tablet.call { it.checkInOn(it.today()) }
                assertEquals("synced from the phone", day?.note)
                tablet.call { it.writeEveningReview(null, app.waymark.core.EveningReview(4, "steady")) }
                tablet.sync(storage)
                val got = phone.sync(storage)
                assertEquals(1L, got.received)
                assertEquals(4, phone.call { it.checkInOn(it.today()) }?.eveningReview?.rating)
                storage.offline = true
                try {
                    tablet.sync(storage)
                    fail("an offline storage synced")
                } catch (e: WaymarkException.SyncFailed) {
                    assertTrue(e.message!!.contains("no network"))
                }
            }
            // The built-in folder storage works the same way.
            val folder = app.waymark.ffi.folderSyncStorage(File(dir, "shared").path)
            assertTrue(phone.sync(folder).sent >= 2)
        }
    }

    /**
     * Extreme instants, dates and numbers from Kotlin: every one is an answer or a
     * WaymarkException (InvalidInput naming the field), never a panic crossing as an
     * InternalException or any other throwable.
     */
    @Test
    fun extremeInstantsDatesAndNumbersAreInvalidInputNeverAPanic() = runBlocking<Unit> {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            w.call { it.setTimeZone("Pacific/Kiritimati") }
            val journey = w.call { it.addJourney(journeyInput()) }
            val sam = w.call { it.addContact(ContactInput("Sam", ContactRole.Sponsor, null, null)) }
            val instants = listOf(
                java.time.Instant.MIN, java.time.Instant.MAX, java.time.Instant.EPOCH,
                java.time.Instant.ofEpochSecond(10_000_000_000_000L),
                java.time.Instant.ofEpochSecond(-62_135_596_801L),
                java.time.Instant.ofEpochSecond(253_402_300_799L, 999_999_999),
                java.time.Instant.ofEpochMilli(Long.MAX_VALUE), java.time.Instant.ofEpochMilli(Long.MIN_VALUE),
            )
            val dates = listOf(
                java.time.LocalDate.MIN, java.time.LocalDate.MAX, java.time.LocalDate.of(1, 1, 1),
                java.time.LocalDate.of(9999, 12, 31), java.time.LocalDate.ofEpochDay(Int.MAX_VALUE.toLong()),
                java.time.LocalDate.ofEpochDay(Int.MIN_VALUE.toLong()),
            )
            var refused = 0
            val fields = mutableSetOf<String>()
            suspend fun attempt(what: String, block: (app.waymark.ffi.WaymarkJournal) -> Unit) {
                try {
                    w.call(block)
                } catch (e: WaymarkException.InvalidInput) {
                    refused++
                    fields += e.field
                } catch (e: WaymarkException) {
                    refused++
                } catch (e: Throwable) {
                    fail("$what: ${e::class.qualifiedName} ${e.message}")
                }
            }
            for (at in instants) {
                attempt("logTrigger $at") {
                    it.logTrigger(TriggerInput(at = at, category = TriggerCategory.Emotions, intensity = 5, urgeMinutes = Int.MAX_VALUE))
                }
                attempt("logOutreach $at") {
                    it.logOutreach(app.waymark.core.OutreachInput(sam.id, app.waymark.core.OutreachMethod.Call, at = at))
                }
            }
            for (day in dates) {
                attempt("checkInOn $day") { it.checkInOn(day) }
                attempt("checkIn $day") { it.checkIn(CheckInInput(date = day, mood = 3, craving = 3)) }
                attempt("entries $day") { it.entries(day, day) }
                attempt("addJourney $day") { it.addJourney(journeyInput().copy(soberSince = day)) }
                attempt("recordLapse $day") {
                    it.recordLapse(app.waymark.core.LapseInput(journey.id, app.waymark.core.LapseKind.Lapse, day))
                }
            }
            attempt("reminders") { it.reminders(Int.MIN_VALUE) }
            attempt("helpNow") { it.helpNow(Int.MAX_VALUE) }
            attempt("costly journey") {
                it.addJourney(journeyInput().copy(dailyCostCents = Long.MAX_VALUE, dailyMinutes = Int.MAX_VALUE, customMilestoneDays = listOf(Int.MAX_VALUE, Int.MIN_VALUE)))
            }
            assertTrue("only $refused refused", refused > 15)
            assertTrue("$fields", "instant" in fields && "date" in fields)
            w.home()
        }
    }

    @Test
    fun aChangeOfSecretOrKeyReachesTheOtherDeviceAndARolledBackStorageIsCaught() = runBlocking {
        val storage = MemoryStorage()
        val tabletPath = File(dir, "tablet.db").path
        val newPassphrase = "a brand new passphrase here"
        Waymark.create(path, passphrase, kdf = fast).waymark.use { phone ->
            phone.call { it.checkIn(CheckInInput(mood = 3, craving = 4)) }
            phone.sync(storage)
            Waymark.join(tabletPath, storage, passphrase = passphrase, kdf = fast).waymark.use { tablet ->
                val before = HashMap(storage.blobs)
                // The phone changes the passphrase; the tablet, which never did, adopts it.
                phone.changePassphrase(passphrase, newPassphrase)
                phone.sync(storage)
                val adopted = tablet.sync(storage)
                assertEquals(listOf(SecretChange.Passphrase), adopted.secretsChanged)
                // The storage is put back as it was before: caught, nothing changed; resending
                // repairs it.
                storage.blobs.clear()
                storage.blobs.putAll(before)
                try {
                    tablet.sync(storage)
                    fail("a rolled-back storage synced")
                } catch (e: WaymarkException.SyncRolledBack) {
                    assertTrue(e.message!!.contains("shows less"))
                }
                tablet.syncResending(storage)
                phone.sync(storage)
                // The phone rotates the key: the tablet is told, joins again and keeps its own.
                phone.rotateDataKey(newPassphrase)
                assertTrue(phone.sync(storage).keyChangedInStore)
                tablet.call { it.writeEntry(app.waymark.core.EntryInput(body = "written on the tablet")) }
                try {
                    tablet.sync(storage)
                    fail("a device on the old key synced")
                } catch (e: WaymarkException.SyncKeyChanged) {
                    assertTrue(e.message!!.contains("join"))
                }
                assertTrue(tablet.joinAgain(storage, passphrase = newPassphrase).keyAdopted)
                phone.sync(storage)
                val texts = phone.call { p -> p.entries(p.today(), p.today()).map { it.body } }
                assertEquals(listOf("written on the tablet"), texts)
            }
        }
    }

    @Test
    fun slowCallsHaveSuspendWrappersAndCloseTwiceIsHarmless() = runBlocking {
        val backup = File(dir, "b.wmbackup").path
        val created = Waymark.create(path, passphrase, kdf = fast)
        val w = created.waymark
        w.call { it.addJourney(journeyInput()) }
        w.writeBackup(backup, "a backup passphrase")
        val rotated = w.rotateDataKey(passphrase)
        assertEquals(35, rotated.recoveryCode!!.length)
        w.close()
        w.close()
        val restoredPath = File(dir, "restored.db").path
        Waymark.restore(backup, "a backup passphrase", restoredPath, passphrase, kdf = fast).waymark.use { r ->
            assertEquals(1, r.call { it.journeys() }.size)
            r.wipe()
            assertFalse(File(restoredPath).exists())
        }
    }

    @Test
    fun isUnlockedAnswersAtOnceWhileASlowDeviceKeyUnwrapsAndTheLockStateFlows() = runBlocking {
        val key = softwareKey()
        val inner = CipherKeySlot { key }
        val entered = java.util.concurrent.CountDownLatch(1)
        val release = java.util.concurrent.CountDownLatch(1)
        val prompting = java.util.concurrent.atomic.AtomicBoolean(false)
        // A device key whose unwrap waits, as BiometricPrompt waits for a finger.
        val slot = object : app.waymark.ffi.PlatformKeySlot {
            override fun wrapKey(key: ByteArray): ByteArray = inner.wrapKey(key)
            override fun unwrapKey(wrapped: ByteArray): ByteArray {
                if (prompting.get()) {
                    entered.countDown()
                    if (!release.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw PlatformKeyFailure.Failed("the test never answered")
                    }
                }
                return inner.unwrapKey(wrapped)
            }
        }
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            assertTrue(w.unlocked.value)
            w.addDeviceSlot(slot, "pixel-8")
        }
        Waymark.open(path, kdf = fast).use { w ->
            assertFalse(w.unlocked.value)
            prompting.set(true)
            val unlocking = kotlinx.coroutines.GlobalScope.launch(Dispatchers.IO) { w.unlockWithDevice(slot) }
            assertTrue(entered.await(5, java.util.concurrent.TimeUnit.SECONDS))
            val started = System.nanoTime()
            val answer = w.isUnlocked
            val millis = (System.nanoTime() - started) / 1_000_000.0
            release.countDown()
            unlocking.join()
            assertFalse(answer)
            println("isUnlocked answered in $millis ms while the device key was unwrapping")
            assertTrue("$millis ms", millis < 250.0)
            assertTrue(w.unlocked.value)
            w.lock()
            assertFalse(w.unlocked.value)
        }
    }

    @Test
    fun callsRunOnTheIoDispatcherNotTheCaller() = runBlocking {
        val caller = Thread.currentThread()
        Waymark.create(path, passphrase, Dispatchers.IO, fast).waymark.use { waymark ->
            val worker = waymark.call { Thread.currentThread() }
            assertNotEquals(caller, worker)
        }
    }

    @Test
    fun exceptionMessagesAreTheSummary() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            try {
                w.call { it.checkIn(CheckInInput(mood = 9, craving = 2)) }
                fail("a mood of 9 was accepted")
            } catch (e: WaymarkException.InvalidInput) {
                // What a log line or a crash report shows is the sentence, not a field dump.
                assertEquals(e.summary, e.message)
                assertFalse(e.message!!.contains("field="))
                assertEquals("mood", e.field)
            }
            w.lock()
            try {
                w.call { it.journeys() }
                fail("a locked journal answered")
            } catch (e: WaymarkException.Locked) {
                assertEquals(e.summary, e.message)
            }
            w.unlock(passphrase)
            // An id the library never gave (not 32 hex digits) is InvalidInput, not an
            // internal error: in an argument and inside a record.
            for (call in listOf<(app.waymark.ffi.WaymarkJournal) -> Unit>(
                { it.counter("nope") },
                { it.deleteJourney("") },
                { it.logTrigger(TriggerInput(category = TriggerCategory.Places, intensity = 5, journeyId = "not-an-id")) },
            )) {
                try {
                    w.call(call)
                    fail("a malformed id was accepted")
                } catch (e: WaymarkException.InvalidInput) {
                    assertEquals("id", e.field)
                    assertEquals(e.summary, e.message)
                }
            }
        }
        assertEquals("key invalidated", PlatformKeyFailure.KeyInvalidated().message)
        assertEquals("cancelled", PlatformKeyFailure.Cancelled().message)
        assertEquals("no key", PlatformKeyFailure.Failed("no key").message)
    }

    @Test
    fun recordsTakePlainIntsAndDefaultsAndOutOfRangeNumbersAreInvalidInput() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            // Only what matters is named: every other field has its default.
            val checkIn = w.call { it.checkIn(CheckInInput(mood = 4, craving = 2)) }
            val mood: Int = checkIn.mood // a plain Int, never UByte
            assertEquals(4, mood)
            assertEquals(Halt(), checkIn.halt)
            // Records are values: a changed copy, the original untouched.
            val calmer = CheckInInput(mood = 4, craving = 2).copy(craving = 0)
            assertEquals(0, calmer.craving)
            // A number out of its range is InvalidInput naming the field, as from any input.
            try {
                w.call { it.checkIn(CheckInInput(mood = -1, craving = 2)) }
                fail("a negative mood was accepted")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("mood", e.field)
            }
            try {
                Waymark.create(File(dir, "other.db").path, passphrase, kdf = KdfParams(-1, 1, 1))
                fail("a negative memory size was accepted")
            } catch (e: WaymarkException.InvalidInput) {
                assertTrue(e.field, e.field.startsWith("kdf"))
            }
        }
    }

    @Test
    fun createWriteCloseReopenUnlock() = runBlocking {
        val created = Waymark.create(path, passphrase, kdf = fast)
        assertEquals(35, created.recoveryCode.length)
        val journeyId = created.waymark.use { w ->
            w.call { it.setTimeZone("Europe/Berlin") }
            val journey = w.call { it.addJourney(journeyInput()) }
            w.call {
                it.checkIn(
                    CheckInInput(null, 4, 2, Halt(false, false, false, true), listOf("work"), null, null, listOf(), null),
                )
            }
            journey.id
        }
        Waymark.open(path, kdf = fast).use { w ->
            assertFalse(w.isUnlocked)
            try {
                w.call { it.journeys() }
                fail("a locked journal answered")
            } catch (e: WaymarkException.Locked) {
                assertTrue(e.summary.contains("locked"))
            }
            w.unlock(passphrase)
            assertTrue(w.isUnlocked)
            assertEquals(listOf(journeyId), w.call { it.journeys() }.map { it.id })
            assertEquals(1, w.reviewProgress(ReviewRange.AllTime).checkIns.count.toInt())
            val home = w.home()
            assertEquals(listOf(journeyId), home.journeys.map { it.journey.id })
            assertEquals(4, home.checkInToday!!.mood.toInt())
            assertEquals(1, w.progress(ReviewRange.Month).journeys.size)
            val report = w.reportHtml(ReviewRange.Month, withSafetyPlan = true)
            assertTrue(report.startsWith("<!DOCTYPE html>"))
            assertTrue(report.contains("<h1>Progress report</h1>"))
            assertTrue(report.contains("default-src 'none'"))
            assertTrue(report.contains("My safety plan"))
            assertFalse(w.reportHtml(ReviewRange.Month).contains("My safety plan"))
            w.lock()
            assertFalse(w.isUnlocked)
        }
    }

    @Test
    fun invalidInputNamesTheFieldAndNeverEchoesTheValue() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            try {
                w.call { it.addJourney(journeyInput().copy(timeZone = "Secret/Place-1234")) }
                fail("a bad zone was accepted")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("time_zone", e.field)
                assertFalse(e.message!!.contains("Secret/Place-1234"))
            }
            try {
                w.call { it.addJourney(journeyInput(since = "2999-01-01")) }
                fail("a future start was accepted")
            } catch (e: WaymarkException.InvalidInput) {
                assertEquals("sober_since", e.field)
            }
            assertTrue(w.call { it.journeys() }.isEmpty())
        }
    }

    @Test
    fun wrongPassphraseIsWrongSecretAndTheRecoveryCodeStillOpens() = runBlocking {
        val created = Waymark.create(path, passphrase, kdf = fast)
        created.waymark.close()
        Waymark.open(path, kdf = fast).use { w ->
            try {
                w.unlock("not the passphrase")
                fail("a wrong passphrase opened the journal")
            } catch (e: WaymarkException.WrongSecret) {
                assertFalse(w.isUnlocked)
            }
            // Typed sloppily: lower case, spaces for dashes.
            w.unlockWithRecoveryCode(created.recoveryCode.lowercase().replace('-', ' '))
            assertTrue(w.isUnlocked)
        }
    }

    @Test
    fun cipherKeySlotWrapsAndUnwraps() {
        val deviceKey = softwareKey()
        val slot = CipherKeySlot { deviceKey }
        val key = ByteArray(32) { it.toByte() }
        val wrapped = slot.wrapKey(key)
        assertEquals(1 + 12 + 32 + 16, wrapped.size)
        assertArrayEquals(key, slot.unwrapKey(wrapped))
        try {
            slot.unwrapKey(wrapped.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() })
            fail("a tampered wrap opened")
        } catch (e: PlatformKeyFailure.KeyInvalidated) {
            // expected: the tag does not verify, as when the key was replaced
        }
        try {
            CipherKeySlot { softwareKey() }.unwrapKey(wrapped)
            fail("another key opened the wrap")
        } catch (e: PlatformKeyFailure.KeyInvalidated) {
            // expected
        }
        try {
            slot.unwrapKey(byteArrayOf(3, 1, 2))
            fail("a malformed wrap opened")
        } catch (e: PlatformKeyFailure.Failed) {
            assertEquals("malformed wrapped key", e.reason)
        }
    }

    @Test
    fun unwrappingNeverCreatesAKeyAndAMissingOneIsInvalidatedAtOnce() {
        // A key store as the Keystore behaves: wrap may create the key, unwrap only loads.
        val store = mutableMapOf<String, SecretKey>()
        var created = 0
        val slot = CipherKeySlot(
            key = { store["device"] ?: throw PlatformKeyFailure.KeyInvalidated() },
            keyForWrap = { store.getOrPut("device") { created++; softwareKey() } },
        )
        val wrapped = slot.wrapKey(ByteArray(32) { 7 })
        assertEquals(1, created)
        assertArrayEquals(ByteArray(32) { 7 }, slot.unwrapKey(wrapped))
        store.clear() // the alias was removed (a restored phone, a cleared credential)
        try {
            slot.unwrapKey(wrapped)
            fail("a missing key unwrapped")
        } catch (e: PlatformKeyFailure.KeyInvalidated) {
            // expected: fall back to the passphrase, no prompt
        }
        assertTrue("unwrap created no key", store.isEmpty())
        assertEquals(1, created)
    }

    @Test
    fun deviceKeyUnlocksAndAnInvalidatedKeyFallsBackToThePassphrase() = runBlocking {
        val key = softwareKey()
        var invalidated = false
        val slot = CipherKeySlot { if (invalidated) throw InvalidKeyException("KeyPermanentlyInvalidated") else key }
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            w.call { it.addJourney(journeyInput()) }
            w.addDeviceSlot(slot, "pixel-8")
            assertTrue(w.call { it.slots() }.any { it.kind == SlotKind.Platform && it.label == "pixel-8" })
        }
        Waymark.open(path, kdf = fast).use { w ->
            w.unlockWithDevice(slot)
            assertEquals(1, w.call { it.journeys() }.size)
            w.lock()
            invalidated = true
            try {
                w.unlockWithDevice(slot)
                fail("an invalidated key unlocked")
            } catch (e: WaymarkException.PlatformKeyUnavailable) {
                assertTrue(e.summary.contains("passphrase"))
            }
            // Nothing was regenerated or lost: the passphrase still opens everything.
            w.unlock(passphrase)
            assertEquals(1, w.call { it.journeys() }.size)
        }
    }

    @Test
    fun aBackupMergesIntoAnotherDevicesJournalOnceAndADamagedOneIsRefused() = runBlocking {
        val backup = File(dir, "phone.wmbackup").path
        val phone = Waymark.create(path, passphrase, kdf = fast).waymark
        val journeyId = phone.call { it.addJourney(journeyInput()).id }
        val written = phone.writeBackup(backup, "a separate backup passphrase")
        assertTrue(written.records >= 1L)

        val laptop = Waymark.create(File(dir, "laptop.db").path, "the laptop passphrase", kdf = fast).waymark
        val first = laptop.mergeBackup(backup, "a separate backup passphrase")
        assertTrue(first.added >= 1L)
        val second = laptop.mergeBackup(backup, "a separate backup passphrase")
        assertEquals(0L, second.added)
        assertEquals(0L, second.updated)
        assertEquals(listOf(journeyId), laptop.call { j -> j.journeys().map { it.id } })

        val bytes = File(backup).readBytes()
        bytes[bytes.size / 2] = (bytes[bytes.size / 2].toInt() xor 1).toByte()
        File(backup).writeBytes(bytes)
        try {
            laptop.mergeBackup(backup, "a separate backup passphrase")
            fail("a damaged backup was accepted")
        } catch (e: WaymarkException.BackupDamaged) {
            assertTrue(e.summary, e.summary.contains("changed after it was written"))
        }
        phone.close()
        laptop.close()
    }

    @Test
    fun aJournalCutShortOpensReadOnlyAndABackupSavesWhatStillReads() = runBlocking {
        Waymark.create(path, passphrase, kdf = fast).waymark.use { w ->
            w.call { it.addJourney(journeyInput()) }
        }
        val whole = File(path).readBytes()
        val cut = File(dir, "cut.db")
        cut.writeBytes(whole.copyOf(whole.size - 4096))
        Waymark.open(cut.path, kdf = fast).use { w ->
            assertEquals(ReadOnlyReason.CutShort, w.call { it.readOnlyReason() })
            w.unlock(passphrase)
            try {
                w.call { it.addJourney(journeyInput()) }
                fail("a write to a cut-short journal was accepted")
            } catch (e: WaymarkException.CorruptJournal) {
                assertTrue(e.summary, e.summary.contains("damaged"))
            }
            val saved = File(dir, "saved.wmbackup").path
            w.writeBackup(saved, "a separate backup passphrase")
            assertTrue(File(saved).length() > 0L)
        }
        // The file itself was never written.
        assertArrayEquals(whole.copyOf(whole.size - 4096), cut.readBytes())
        Waymark.create(File(dir, "fine.db").path, passphrase, kdf = fast).waymark.use { w ->
            assertNull(w.call { it.readOnlyReason() })
        }
    }
}
