-- CreateTable
CREATE TABLE "UpdateInbox" (
    "updateId" BIGINT NOT NULL,
    "chatKey" TEXT NOT NULL,
    "payload" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "UpdateInbox_pkey" PRIMARY KEY ("updateId")
);

-- CreateIndex
CREATE INDEX "UpdateInbox_chatKey_status_idx" ON "UpdateInbox"("chatKey", "status");

-- CreateIndex
CREATE INDEX "UpdateInbox_status_nextAttemptAt_idx" ON "UpdateInbox"("status", "nextAttemptAt");
