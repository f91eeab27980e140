-- CreateEnum
CREATE TYPE "SignInThrottleKind" AS ENUM ('ACCOUNT', 'ADDRESS');

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "kind" "SignInThrottleKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,
    "blockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("kind","subject")
);

-- CreateIndex
CREATE INDEX "SignInThrottle_blockedUntil_idx" ON "SignInThrottle"("blockedUntil");
